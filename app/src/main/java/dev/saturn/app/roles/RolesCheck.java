package dev.saturn.app.roles;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.temporal.worker.WorkerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The roles this process runs (saturn.roles / SATURN_ROLES): {@code api}, {@code worker} or both.
 * The modules switch on the raw property; this check makes a typo fail the start instead of
 * silently running neither role.
 */
@Component
class RolesCheck {

  private static final Logger log = LoggerFactory.getLogger(RolesCheck.class);
  static final Set<String> KNOWN = Set.of("api", "worker");

  RolesCheck(@Value("${saturn.roles:api,worker}") String roles, ListableBeanFactory beans) {
    List<String> parsed = parse(roles);
    // The Temporal starter builds workers from spring.temporal.workers, which WorkerRegistrations
    // sets from the role before the context starts; a role set later would be ignored by it.
    if (!parsed.contains("worker") && beans.getBeanNamesForType(WorkerFactory.class, true, false).length > 0) {
      throw new IllegalStateException("saturn.roles is '" + roles + "', but a Temporal worker factory exists:"
          + " the role must be known before the context starts (environment, command line, application.yml),"
          + " not set by a @DynamicPropertySource");
    }
    log.info("SATURN roles: {}", String.join(",", parsed));
  }

  static List<String> parse(String roles) {
    List<String> parsed = Arrays.stream(roles.split(","))
        .map(r -> r.trim().toLowerCase(Locale.ROOT))
        .filter(r -> !r.isEmpty())
        .distinct()
        .toList();
    if (parsed.isEmpty() || !KNOWN.containsAll(parsed)) {
      throw new IllegalStateException(
          "saturn.roles (env SATURN_ROLES) must be api, worker or api,worker; got '" + roles + "'");
    }
    return parsed;
  }
}
