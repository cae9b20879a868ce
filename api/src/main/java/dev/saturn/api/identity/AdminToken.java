package dev.saturn.api.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The platform operator's token for tenant creation: {@code SATURN_ADMIN_TOKEN}, or on a machine
 * that sets none, a random one generated once and kept in {@code <data-dir>/admin-token} (owner
 * read/write only) so the quick start needs no configuration. Its value is never logged.
 */
@Component
public class AdminToken {

  private final byte[] token;

  AdminToken(@Value("${saturn.admin-token:}") String configured, @Value("${saturn.data-dir:}") String dataDir) {
    String value = SecretFiles.configuredOrGenerated(
        configured, SecretFiles.dataDir(dataDir).resolve("admin-token"), "adm_", 24, "SATURN_ADMIN_TOKEN");
    this.token = value.getBytes(StandardCharsets.UTF_8);
  }

  public boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
  }
}
