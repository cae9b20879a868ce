package dev.saturn.api.audit;

import dev.saturn.api.identity.Caller;
import dev.saturn.api.web.RequestIds;
import dev.saturn.db.audit.AuditEntry;
import dev.saturn.db.audit.AuditLogRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.util.LinkedHashSet;
import dev.saturn.workflows.common.Redaction;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the audit row of a change: actor, action, target, and a before/after diff of the
 * changed fields only, with secret-looking fields redacted. Call it inside the transaction of
 * the change, so the change and its audit row commit together.
 */
@Component
public class AuditTrail {

  static final String REDACTED = Redaction.REDACTED;

  private final AuditLogRepository log;
  private final JsonMapper json;
  private final Clock clock;

  AuditTrail(AuditLogRepository log, JsonMapper json, Clock clock) {
    this.log = log;
    this.json = json;
    this.clock = clock;
  }

  /**
   * @param before the target before the change (null for a creation)
   * @param after the target after the change (null for a deletion)
   */
  public void record(Caller caller, String action, String targetType, String targetId, Object before, Object after) {
    record(caller.company(), caller.actorType().name().toLowerCase(Locale.ROOT), caller.actorId(),
        action, targetType, targetId, before, after);
  }

  /**
   * The audit row of a change made in {@code company}'s name by someone who is not one of its
   * callers: the platform operator ({@code actorType} {@code operator}), or a user acting through
   * a password-reset token ({@code user}).
   */
  public void record(CompanyId company, String actorType, String actorId, String action, String targetType,
      String targetId, Object before, Object after) {
    ObjectNode diff = diff(tree(before), tree(after));
    log.append(company, new AuditEntry(
        Ids.newId(),
        company.value(),
        actorType,
        actorId,
        action,
        targetType,
        targetId,
        json.writeValueAsString(diff),
        RequestIds.current(),
        Times.now(clock)));
  }

  private JsonNode tree(Object value) {
    return value == null ? null : redact(json.valueToTree(value));
  }

  /** {"before": {changed fields}, "after": {changed fields}}; unchanged fields are left out. */
  ObjectNode diff(JsonNode before, JsonNode after) {
    ObjectNode diff = json.createObjectNode();
    ObjectNode was = diff.putObject("before");
    ObjectNode now = diff.putObject("after");
    Set<String> fields = new LinkedHashSet<>();
    if (before != null && before.isObject()) {
      fields.addAll(before.propertyNames());
    }
    if (after != null && after.isObject()) {
      fields.addAll(after.propertyNames());
    }
    for (String field : fields) {
      JsonNode old = before == null ? null : before.get(field);
      JsonNode neu = after == null ? null : after.get(field);
      if (old == null ? neu != null : !old.equals(neu)) {
        if (old != null) {
          was.set(field, old);
        }
        if (neu != null) {
          now.set(field, neu);
        }
      }
    }
    return diff;
  }

  /** Whether a field's value must never be stored: SATURN's one policy, {@link Redaction#isSecretKey}. */
  static boolean isSecret(String field) {
    return Redaction.isSecretKey(field);
  }

  private static JsonNode redact(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (String field : Set.copyOf(object.propertyNames())) {
        JsonNode value = object.get(field);
        if (isSecret(field)) {
          object.put(field, REDACTED);
        } else if (value.isString()) {
          object.put(field, Redaction.redactText(value.asString()));
        } else {
          redact(value);
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(AuditTrail::redact);
    }
    return node;
  }
}
