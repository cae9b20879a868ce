package dev.saturn.app.runtime.database;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the relational database is, bound from {@code saturn.db.*}.
 *
 * @param url JDBC URL of a MariaDB ({@code jdbc:mariadb:}) or MySQL 8 ({@code jdbc:mysql:})
 *     server; when absent, this process runs an embedded MariaDB under the data dir
 * @param username for {@code url}
 * @param password for {@code url}
 * @param embeddedPort TCP port (loopback only) of the embedded MariaDB; 0 picks a free one
 */
@Validated
@ConfigurationProperties("saturn.db")
public record DatabaseProperties(
    @Pattern(
            regexp = "jdbc:(mariadb|mysql):.+",
            message =
                "must be a MariaDB (jdbc:mariadb:...) or MySQL 8 (jdbc:mysql:...) JDBC URL; leave it"
                    + " empty for the embedded MariaDB")
        String url,
    String username,
    String password,
    @Min(0) @Max(65535) Integer embeddedPort) {

  public static final int DEFAULT_EMBEDDED_PORT = 3307;

  public DatabaseProperties {
    // Env mappings like ${SATURN_DB_URL:} bind "" when unset: that means "embedded", not a URL.
    url = isBlank(url) ? null : url.strip();
    username = isBlank(username) ? null : username;
    password = password == null ? "" : password;
    embeddedPort = embeddedPort == null ? DEFAULT_EMBEDDED_PORT : embeddedPort;
  }

  public boolean usesEmbeddedDatabase() {
    return url == null;
  }

  /** Masks the password: the generated record toString would put it into logs and dumps. */
  @Override
  public String toString() {
    return "DatabaseProperties[url="
        + url
        + ", username="
        + username
        + ", password="
        + (password.isEmpty() ? "<none>" : "****")
        + ", embeddedPort="
        + embeddedPort
        + "]";
  }

  static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
