package dev.saturn.app.e2e;

import dev.saturn.db.testing.TenantGuard;
import org.jooq.ExecuteListenerProvider;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Installs the tenant guard on the booted application's jOOQ, so every SQL statement an
 * end-to-end test makes the app run must constrain company_id. Import it explicitly: with
 * {@code @SpringBootTest(classes = ...)} a nested test configuration is not picked up.
 */
@TestConfiguration(proxyBeanMethods = false)
public class GuardEverySql {

  @Bean
  ExecuteListenerProvider tenantGuard() {
    return TenantGuard.provider();
  }
}
