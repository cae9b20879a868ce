package dev.saturn.api.identity;

import java.nio.charset.StandardCharsets;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password hashing with BCrypt (cost 10, salted, ~50-100 ms per check), from Spring Security's
 * crypto module alone; Argon2 would need BouncyCastle as well. BCrypt reads at most 72 bytes,
 * so longer passwords are refused rather than silently cut.
 */
@Component
public class Passwords {

  public static final int MIN_LENGTH = 8;
  public static final int MAX_BYTES = 72;

  private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(10);
  /** Checked against when there is no real hash, so a miss costs the same time as a wrong password. */
  private final String dummyHash = encoder.encode("no-such-user-password");

  /** Null when the password is acceptable, else why not (for a field error). */
  public static String problem(String password) {
    if (password.length() < MIN_LENGTH) {
      return "must be at least " + MIN_LENGTH + " characters";
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "must be at most " + MAX_BYTES + " bytes";
    }
    return null;
  }

  public String hash(String password) {
    return encoder.encode(password);
  }

  /**
   * Whether {@code password} matches {@code storedHash}; with no stored hash (unknown user, user
   * without a password) it still spends one BCrypt check and answers false.
   */
  public boolean matches(String password, String storedHash) {
    boolean usable = password != null && password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    String candidate = usable ? password : "";
    boolean matched = encoder.matches(candidate, storedHash == null ? dummyHash : storedHash);
    return usable && storedHash != null && matched;
  }
}
