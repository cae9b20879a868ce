package dev.saturn.api.audit;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.audit.AuditEntry;
import dev.saturn.db.audit.AuditFilter;
import dev.saturn.db.audit.AuditLogRepository;
import dev.saturn.db.common.Page;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The company's audit log, read-only: who changed what, when, and the redacted before/after. */
@ApiController
@RequestMapping("/v1/audit-logs")
@Validated
class AuditLogController {

  private final AuditLogRepository log;
  private final JsonMapper json;

  AuditLogController(AuditLogRepository log, JsonMapper json) {
    this.log = log;
    this.json = json;
  }

  record AuditView(
      String id,
      String actorType,
      String actorId,
      String action,
      String targetType,
      String targetId,
      JsonNode diff,
      String requestId,
      Instant createdAt) {}

  record AuditList(List<AuditView> items, String nextCursor) {}

  @GetMapping
  @Requires(Permission.AUDIT_READ)
  public AuditList list(
      Caller caller,
      @RequestParam(name = "target_type", required = false) @Size(max = 32) String targetType,
      @RequestParam(name = "target_id", required = false) @Size(max = 100) String targetId,
      @RequestParam(required = false) @Size(max = 64) String action,
      @RequestParam(name = "actor_id", required = false) @Size(max = 100) String actorId,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    if (from != null && to != null && !from.isBefore(to)) {
      throw ApiException.invalidField("to", "must be after 'from'");
    }
    Page<AuditEntry> page = log.list(
        caller.company(), new AuditFilter(targetType, targetId, action, actorId, from, to), cursor, limit);
    return new AuditList(page.items().stream().map(this::view).toList(), page.nextCursor());
  }

  @GetMapping("/{auditId}")
  @Requires(Permission.AUDIT_READ)
  public AuditView get(Caller caller, @PathVariable String auditId) {
    return log.find(caller.company(), auditId)
        .map(this::view)
        .orElseThrow(() -> ApiException.notFound("audit log entry " + auditId));
  }

  private AuditView view(AuditEntry entry) {
    return new AuditView(
        entry.id(),
        entry.actorType(),
        entry.actorId(),
        entry.action(),
        entry.targetType(),
        entry.targetId(),
        entry.diffJson() == null ? null : json.readTree(entry.diffJson()),
        entry.requestId(),
        entry.createdAt());
  }
}
