package dev.saturn.app.e2e;

import dev.saturn.app.e2e.TestApp.Tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.app.SaturnApplication;
import dev.saturn.db.testing.TenantGuard;
import dev.saturn.db.testing.TestDatabase;
import java.util.HashMap;
import java.util.Map;
import org.jooq.ExecuteListenerProvider;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application on a real port, a real MariaDB and Temporal's Java server, with the tenant
 * guard on every SQL statement; shared by the identity tests (one context for all of them, as
 * Spring caches it by this configuration). Subclasses log in as users of new companies.
 */
@Import(BootedSaturn.GuardEverySql.class)
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class BootedSaturn {

  static final String ADMIN = "identity-e2e-operator-token";
  /** Known to the tests so they can forge tokens signed with the application's key. */
  static final String JWT_SECRET = "identity-e2e-jwt-secret-0123456789abcdef";
  static final String PASSWORD = "correct horse battery staple";
  /** The origin the Temporal UI would be served from, allowed to call the codec endpoint. */
  static final String UI_ORIGIN = "http://temporal-ui.test:8088";

  /** One database for the JVM's lifetime, like the cached application context that uses it. */
  static final TestDatabase DATABASE = TestDatabase.create();

  @LocalServerPort int port;

  @TestConfiguration
  static class GuardEverySql {
    @Bean
    ExecuteListenerProvider tenantGuard() {
      return TenantGuard.provider();
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestApp.embeddedDefaults(registry, () -> DATABASE.jdbcUrl(), "identity-e2e-data", ADMIN);
    registry.add("saturn.auth.jwt-secret", () -> JWT_SECRET);
    registry.add("saturn.temporal.codec.cors-origins", () -> UI_ORIGIN);
  }

  HttpJson http() {
    return new HttpJson("http://127.0.0.1:" + port);
  }

  /** A new company: its id and the owner's first API key (scope admin). */
  Tenant newCompany(String name) {
    return TestApp.newCompany(http(), ADMIN, name);
  }

  /** Creates a user with {@link #PASSWORD}, as the owner's key; returns the user's id. */
  String newUser(Tenant tenant, String email, String role) {
    Map<String, Object> body = new HashMap<>(Map.of("email", email, "role", role, "password", PASSWORD));
    HttpJson.Response created = http().post("/v1/users", tenant.apiKey(), body);
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    return created.text("id");
  }

  HttpJson.Response login(Tenant tenant, String email, String password) {
    return http().post("/v1/auth/login", null,
        Map.of("company_id", tenant.companyId(), "email", email, "password", password));
  }

  String token(Tenant tenant, String email) {
    HttpJson.Response login = login(tenant, email, PASSWORD);
    assertThat(login.status()).as(login.body().toString()).isEqualTo(200);
    return login.text("access_token");
  }
}
