package dev.saturn.api.identity;

import dev.saturn.api.web.ApiException;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.identity.ApiKeyRepository;
import dev.saturn.db.identity.ApiKeyRow;
import dev.saturn.db.identity.CompanyRepository;
import dev.saturn.db.identity.CompanyRow;
import dev.saturn.db.identity.Role;
import dev.saturn.db.identity.UserRepository;
import dev.saturn.db.identity.UserRow;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import dev.saturn.api.ApiController;

/** Tenant creation by the platform operator: a company, its owner, and its first API key (shown once). */
@ApiController
@RequestMapping("/v1/companies")
class CompanyController {

  private final CompanyRepository companies;
  private final UserRepository users;
  private final ApiKeyRepository keys;
  private final Passwords passwords;
  private final Clock clock;

  CompanyController(
      CompanyRepository companies, UserRepository users, ApiKeyRepository keys, Passwords passwords, Clock clock) {
    this.passwords = passwords;
    this.companies = companies;
    this.users = users;
    this.keys = keys;
    this.clock = clock;
  }

  record CreateCompany(@NotBlank @Size(max = 200) String name, @NotNull @Valid Owner owner) {}

  /** {@code password} is optional: without one the owner works through the returned API key only. */
  record Owner(@NotBlank @Email @Size(max = 320) String email, @Size(max = 200) String name, String password) {}

  record CompanyView(String id, String name, String plan, String status, Instant createdAt) {}

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
        new CompanyView(company.id(), company.name(), company.planId(), company.status(), company.createdAt()),
        new OwnerView(owner.id(), owner.email(), owner.role().dbValue()),
        key.key());
  }
}
