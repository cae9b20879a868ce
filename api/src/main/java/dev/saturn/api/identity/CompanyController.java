package dev.saturn.api.identity;

import dev.saturn.api.audit.AuditTrail;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Page;
import dev.saturn.db.identity.ApiKeyRepository;
import dev.saturn.db.identity.ApiKeyRow;
import dev.saturn.db.identity.CompanyRepository;
import dev.saturn.db.identity.CompanyRow;
import dev.saturn.db.identity.PlanRepository;
import dev.saturn.db.identity.Role;
import dev.saturn.db.identity.UserRepository;
import dev.saturn.db.identity.UserRow;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import dev.saturn.api.ApiController;

/**
 * The platform operator's tenants: creation (a company, its owner, and its first API key, shown
 * once), the catalogue, a change of plan, suspension and reactivation. A suspended company's API
 * keys and users are refused at the door ({@link TenantSuspendedException}); its running turns go on.
 */
@ApiController
@RequestMapping("/v1/companies")
@Validated
class CompanyController {

  /** The audit actor (type and id) of the operator's changes. */
  static final String OPERATOR_ACTOR = "operator";

  private final CompanyRepository companies;
  private final UserRepository users;
  private final ApiKeyRepository keys;
  private final Passwords passwords;
  private final PlanRepository plans;
  private final AuditTrail audit;
  private final Clock clock;

  CompanyController(
      CompanyRepository companies, UserRepository users, ApiKeyRepository keys, Passwords passwords,
      PlanRepository plans, AuditTrail audit, Clock clock) {
    this.passwords = passwords;
    this.plans = plans;
    this.audit = audit;
    this.companies = companies;
    this.users = users;
    this.keys = keys;
    this.clock = clock;
  }

  record CreateCompany(@NotBlank @Size(max = 200) String name, @NotNull @Valid Owner owner) {}

  /** {@code password} is optional: without one the owner works through the returned API key only. */
  record Owner(@NotBlank @Email @Size(max = 320) String email, @Size(max = 200) String name, String password) {}

  record CompanyView(String id, String name, String plan, String status, Instant createdAt) {
    static CompanyView of(CompanyRow company) {
      return new CompanyView(company.id(), company.name(), company.planId(), company.status(), company.createdAt());
    }
  }

  record CompanyList(List<CompanyView> items, String nextCursor) {}

  record UpdateCompany(@NotBlank @Size(max = 64) String plan) {}

  record OwnerView(String id, String email, String role) {}

  record Created(CompanyView company, OwnerView owner, String apiKey) {}

  @PostMapping
  @Operation(summary = "Create a company, its owner and the owner's first API key (operator token)")
  @Requires.Operator
  @ResponseStatus(HttpStatus.CREATED)
  @Transactional
  public Created create(@Valid @RequestBody CreateCompany request) {
    String password = request.owner().password();
    if (password != null && Passwords.problem(password) != null) {
      throw ApiException.invalidField("owner.password", Passwords.problem(password));
    }
    CompanyRow company = companies.create(request.name(), CompanyRepository.DEFAULT_PLAN);
    CompanyId companyId = CompanyId.of(company.id());
    UserRow owner = users.create(
        companyId, request.owner().email(), request.owner().name(), password == null ? null : passwords.hash(password), Role.OWNER);
    ApiKeys.NewKey key = ApiKeys.generate();
    keys.insert(companyId, new ApiKeyRow(
        Ids.newId(), company.id(), owner.id(), "initial owner key", key.prefix(), key.hash(), "[\"admin\"]", "active",
        clock.instant(), null, null, null, null));
    return new Created(
        CompanyView.of(company),
        new OwnerView(owner.id(), owner.email(), owner.role().dbValue()),
        key.key());
  }

  @GetMapping
  @Operation(summary = "List every company, in id order (operator token)")
  @Requires.Operator
  public CompanyList list(
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    Page<CompanyRow> page = companies.list(cursor, limit);
    return new CompanyList(page.items().stream().map(CompanyView::of).toList(), page.nextCursor());
  }

  @GetMapping("/{companyId}")
  @Operation(summary = "One company (operator token)")
  @Requires.Operator
  public CompanyView get(@PathVariable String companyId) {
    return CompanyView.of(find(companyId));
  }

  @PatchMapping("/{companyId}")
  @Operation(summary = "Move a company to another plan (operator token); billing and limits follow at once")
  @Requires.Operator
  @Transactional
  public CompanyView update(@PathVariable String companyId, @Valid @RequestBody UpdateCompany request) {
    CompanyRow before = find(companyId);
    if (plans.find(request.plan()).isEmpty()) {
      throw ApiException.invalidField("plan", "no plan with id " + request.plan());
    }
    if (before.planId().equals(request.plan())) {
      return CompanyView.of(before);
    }
    companies.setPlan(CompanyId.of(companyId), request.plan());
    return changed(before, "company.plan_change");
  }

  @PostMapping("/{companyId}/suspend")
  @Operation(summary = "Suspend a company (operator token): its keys and users get 403 TENANT_SUSPENDED")
  @Requires.Operator
  @Transactional
  public CompanyView suspend(@PathVariable String companyId) {
    return setStatus(companyId, CompanyRepository.SUSPENDED, "company.suspend");
  }

  @PostMapping("/{companyId}/reactivate")
  @Operation(summary = "Reactivate a suspended company (operator token)")
  @Requires.Operator
  @Transactional
  public CompanyView reactivate(@PathVariable String companyId) {
    return setStatus(companyId, CompanyRepository.ACTIVE, "company.reactivate");
  }

  private CompanyView setStatus(String companyId, String status, String action) {
    CompanyRow before = find(companyId);
    if (before.status().equals(status)) {
      return CompanyView.of(before);
    }
    companies.setStatus(CompanyId.of(companyId), status);
    return changed(before, action);
  }

  /** The company after a change, with the change's audit row in the company's own log. */
  private CompanyView changed(CompanyRow before, String action) {
    CompanyView after = CompanyView.of(find(before.id()));
    audit.record(CompanyId.of(before.id()), OPERATOR_ACTOR, OPERATOR_ACTOR, action, "company", before.id(),
        CompanyView.of(before), after);
    return after;
  }

  private CompanyRow find(String companyId) {
    return companies.find(CompanyId.of(companyId)).orElseThrow(() -> ApiException.notFound("company " + companyId));
  }
}
