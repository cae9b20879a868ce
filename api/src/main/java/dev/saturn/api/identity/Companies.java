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
import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The platform operator's tenants, for the REST API ({@code /v1/companies}) and the operator console:
 * creation (a company, its owner, and its first API key, returned once), the catalogue, a change of
 * plan, suspension and reactivation, each change with its audit row in the company's own log.
 */
@Service
class Companies {

  /** The audit actor (type and id) of the operator's changes. */
  static final String OPERATOR_ACTOR = "operator";

  private final CompanyRepository companies;
  private final UserRepository users;
  private final ApiKeyRepository keys;
  private final Passwords passwords;
  private final PlanRepository plans;
  private final AuditTrail audit;
  private final Clock clock;
  private final VerifiedKeys verifiedKeys;

  Companies(
      CompanyRepository companies, UserRepository users, ApiKeyRepository keys, Passwords passwords,
      PlanRepository plans, AuditTrail audit, Clock clock, VerifiedKeys verifiedKeys) {
    this.verifiedKeys = verifiedKeys;
    this.passwords = passwords;
    this.plans = plans;
    this.audit = audit;
    this.companies = companies;
    this.users = users;
    this.keys = keys;
    this.clock = clock;
  }

  record CompanyView(String id, String name, String plan, String status, Instant createdAt) {
    static CompanyView of(CompanyRow company) {
      return new CompanyView(company.id(), company.name(), company.planId(), company.status(), company.createdAt());
    }
  }

  record OwnerView(String id, String email, String role) {}

  record Created(CompanyView company, OwnerView owner, String apiKey) {}

  /** @param password the owner's, or null: then the owner works through the returned API key or a reset link */
  @Transactional
  public Created create(String name, String ownerEmail, String ownerName, String password) {
    if (password != null && Passwords.problem(password) != null) {
      throw ApiException.invalidField("owner.password", Passwords.problem(password));
    }
    CompanyRow company = companies.create(name, CompanyRepository.DEFAULT_PLAN);
    CompanyId companyId = CompanyId.of(company.id());
    UserRow owner = users.create(
        companyId, ownerEmail, ownerName, password == null ? null : passwords.hash(password), Role.OWNER);
    ApiKeys.NewKey key = ApiKeys.generate();
    keys.insert(companyId, new ApiKeyRow(
        Ids.newId(), company.id(), owner.id(), "initial owner key", key.prefix(), key.hash(), "[\"admin\"]", "active",
        clock.instant(), null, null, null, null));
    return new Created(
        CompanyView.of(company),
        new OwnerView(owner.id(), owner.email(), owner.role().dbValue()),
        key.key());
  }

  public Page<CompanyView> list(String cursor, int limit) {
    Page<CompanyRow> page = companies.list(cursor, limit);
    return new Page<>(page.items().stream().map(CompanyView::of).toList(), page.nextCursor());
  }

  public CompanyView get(String companyId) {
    return CompanyView.of(find(companyId));
  }

  /** Moves the company to another plan; billing and limits follow at once. */
  @Transactional
  public CompanyView changePlan(String companyId, String plan) {
    CompanyRow before = find(companyId);
    if (plans.find(plan).isEmpty()) {
      throw ApiException.invalidField("plan", "no plan with id " + plan);
    }
    if (before.planId().equals(plan)) {
      return CompanyView.of(before);
    }
    companies.setPlan(CompanyId.of(companyId), plan);
    return changed(before, "company.plan_change");
  }

  /** Its keys and users get 403 TENANT_SUSPENDED ({@link TenantSuspendedException}); its running turns go on. */
  @Transactional
  public CompanyView suspend(String companyId) {
    return setStatus(companyId, CompanyRepository.SUSPENDED, "company.suspend");
  }

  @Transactional
  public CompanyView reactivate(String companyId) {
    return setStatus(companyId, CompanyRepository.ACTIVE, "company.reactivate");
  }

  private CompanyView setStatus(String companyId, String status, String action) {
    CompanyRow before = find(companyId);
    if (before.status().equals(status)) {
      return CompanyView.of(before);
    }
    companies.setStatus(CompanyId.of(companyId), status);
    verifiedKeys.forgetAll(); // a suspended company's keys stop working
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
