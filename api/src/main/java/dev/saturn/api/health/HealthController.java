package dev.saturn.api.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.web.RequestIds;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /health}: the process is alive (no dependency checked, so a restart loop never starts
 * from a database hiccup). {@code /ready}: every {@link ReadinessProbe} (database, Temporal) answers.
 * Both serve in every role.
 */
@RestController
class HealthController {

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final List<ReadinessProbe> probes;

  HealthController(List<ReadinessProbe> probes) {
    this.probes = probes;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Health(String status, String requestId, Map<String, String> checks) {}

  @GetMapping("/health")
  @Requires.Public
  @Operation(summary = "Liveness: the process is up")
  public Health health() {
    return new Health("ok", RequestIds.current(), null);
  }

  @GetMapping("/ready")
  @Requires.Public
  @Operation(summary = "Readiness: the database and Temporal answer")
  public ResponseEntity<Health> ready() {
    Map<String, String> checks = new TreeMap<>();
    probes.forEach(probe -> checks.put(probe.name(), probe.isReady(PROBE_TIMEOUT) ? "ok" : "unreachable"));
    boolean ready = checks.values().stream().allMatch("ok"::equals);
    return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .body(new Health(ready ? "ready" : "not_ready", RequestIds.current(), checks));
  }
}
