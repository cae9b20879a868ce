package dev.saturn.api.idempotency;

import dev.saturn.api.web.ApiException;
import dev.saturn.db.chat.IdempotencyRecord;
import dev.saturn.db.chat.IdempotencyRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.workflows.common.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Create-once semantics for writes that carry an {@code Idempotency-Key}: the first request
 * records (key, hash of the request, id of what it created) in the same transaction as the
 * creation; a repeat with the same request gets the same resource back, a repeat with a different
 * request gets 409 IDEMPOTENCY_CONFLICT. Keys are per company and per kind of write (scope).
 */
@Component
public class IdempotentRequests {

  public static final String HEADER = "Idempotency-Key";
  private static final Pattern VALID_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final IdempotencyRepository records;
  private final TransactionTemplate transaction;

  IdempotentRequests(IdempotencyRepository records, TransactionTemplate transaction) {
    this.records = records;
    this.transaction = transaction;
  }

  /** @throws ApiException VALIDATION_FAILED naming the header when the key is malformed */
  public static void validateKey(String key) {
    if (key != null && !VALID_KEY.matcher(key).matches()) {
      throw ApiException.invalidField(HEADER, "must be 1 to 128 letters, digits or ._:- characters");
    }
  }

  /** A digest of the parts that make two requests "the same request". */
  public static String hash(String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        sha.update((part == null ? "\u0000" : part).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs {@code create} with a new resource id, once per key; a repeat returns {@code existing}
   * of the first resource. Without a key every call creates.
   */
  public <T> T once(
      CompanyId company, String scope, String key, String requestHash, String resourceType,
      Function<String, T> create, Function<String, T> existing) {
    validateKey(key);
    if (key == null) {
      return transaction.execute(status -> create.apply(Ids.newId()));
    }
    Optional<T> earlier = earlier(company, scope, key, requestHash, existing);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    Optional<T> created = transaction.execute(status -> {
      String id = Ids.newId();
      if (!records.insertIfAbsent(company, new IdempotencyRecord(scope, key, requestHash, resourceType, id))) {
        status.setRollbackOnly();
        return Optional.<T>empty();
      }
      return Optional.of(create.apply(id));
    });
    // Empty: a concurrent request with the same key won the insert; answer with its resource.
    return created.orElseGet(() -> earlier(company, scope, key, requestHash, existing).orElseThrow());
  }

  private <T> Optional<T> earlier(
      CompanyId company, String scope, String key, String requestHash, Function<String, T> existing) {
    return records.find(company, scope, key).map(record -> {
      if (!record.requestHash().equals(requestHash)) {
        throw ApiException.of(ErrorCode.IDEMPOTENCY_CONFLICT, HEADER + " was already used with a different request");
      }
      return existing.apply(record.resourceId());
    });
  }
}
