package dev.saturn.api.audit;

import dev.saturn.api.identity.Caller;
import dev.saturn.api.web.RequestIds;
import dev.saturn.db.audit.AuditEntry;
import dev.saturn.db.audit.AuditLogRepository;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
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

  static final String REDACTED = "[REDACTED]";
  /** Words that make a field name secret wherever they appear in it. */
  private static final Set<String> SECRET_WORDS = Set.of(
      "password", "passwd", "passphrase", "secret", "secrets", "authorization", "credential", "credentials", "apikey");
  /** Word pairs that do, e.g. api_key, X-Api-Key, privateKey, key_hash. */
  private static final Pattern SECRET_PAIR = Pattern.compile("(^| )(api key|private key|key hash)( |$)");
  private static final Pattern WORD_BREAK = Pattern.compile("[^a-z0-9]+");

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
    ObjectNode diff = diff(tree(before), tree(after));
    log.append(caller.company(), new AuditEntry(
        Ids.newId(),
        caller.company().value(),
        caller.actorType().name().toLowerCase(Locale.ROOT),
        caller.actorId(),
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

  /**
   * Whether a field's value must never be stored. The name is split into words (snake_case,
   * kebab-case, camelCase); "token" counts only as the last word, so {@code access_token} is
   * secret but the settings {@code max_tokens} and {@code history_token_budget} are not.
   */
  static boolean isSecret(String field) {
    String words = WORD_BREAK.matcher(field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT))
        .replaceAll(" ").trim();
    if (words.isEmpty()) {
      return false;
    }
    String[] split = words.split(" ");
    for (String word : split) {
      if (SECRET_WORDS.contains(word)) {
        return true;
      }
    }
    return split[split.length - 1].equals("token") || SECRET_PAIR.matcher(words).find();
  }

  private static JsonNode redact(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (String field : Set.copyOf(object.propertyNames())) {
        if (isSecret(field)) {
          object.put(field, REDACTED);
        } else {
          redact(object.get(field));
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(AuditTrail::redact);
    }
    return node;
  }
}
