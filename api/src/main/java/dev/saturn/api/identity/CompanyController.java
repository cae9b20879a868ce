package dev.saturn.api.identity;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Companies.CompanyView;
import dev.saturn.api.identity.Companies.Created;
import dev.saturn.db.common.Page;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * The platform operator's tenants over REST ({@link Companies}): creation (a company, its owner, and
 * its first API key, shown once), the catalogue, a change of plan, suspension and reactivation. A
 * suspended company's API keys and users are refused at the door ({@link TenantSuspendedException}).
 */
@ApiController
@RequestMapping("/v1/companies")
@Validated
class CompanyController {

  private final Companies companies;

  CompanyController(Companies companies) {
    this.companies = companies;
  }

  record CreateCompany(@NotBlank @Size(max = 200) String name, @NotNull @Valid Owner owner) {}

  /** {@code password} is optional: without one the owner works through the returned API key only. */
  record Owner(@NotBlank @Email @Size(max = 320) String email, @Size(max = 200) String name, String password) {}

  record CompanyList(List<CompanyView> items, String nextCursor) {}

  record UpdateCompany(@NotBlank @Size(max = 64) String plan) {}

  @PostMapping
  @Operation(summary = "Create a company, its owner and the owner's first API key (operator token)")
  @Requires.Operator
  @ResponseStatus(HttpStatus.CREATED)
  public Created create(@Valid @RequestBody CreateCompany request) {
    return companies.create(request.name(), request.owner().email(), request.owner().name(), request.owner().password());
  }

  @GetMapping
  @Operation(summary = "List every company, in id order (operator token)")
  @Requires.Operator
  public CompanyList list(
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    Page<CompanyView> page = companies.list(cursor, limit);
    return new CompanyList(page.items(), page.nextCursor());
  }

  @GetMapping("/{companyId}")
  @Operation(summary = "One company (operator token)")
  @Requires.Operator
  public CompanyView get(@PathVariable String companyId) {
    return companies.get(companyId);
  }

  @PatchMapping("/{companyId}")
  @Operation(summary = "Move a company to another plan (operator token); billing and limits follow at once")
  @Requires.Operator
  public CompanyView update(@PathVariable String companyId, @Valid @RequestBody UpdateCompany request) {
    return companies.changePlan(companyId, request.plan());
  }

  @PostMapping("/{companyId}/suspend")
  @Operation(summary = "Suspend a company (operator token): its keys and users get 403 TENANT_SUSPENDED")
  @Requires.Operator
  public CompanyView suspend(@PathVariable String companyId) {
    return companies.suspend(companyId);
  }

  @PostMapping("/{companyId}/reactivate")
  @Operation(summary = "Reactivate a suspended company (operator token)")
  @Requires.Operator
  public CompanyView reactivate(@PathVariable String companyId) {
    return companies.reactivate(companyId);
  }
}
