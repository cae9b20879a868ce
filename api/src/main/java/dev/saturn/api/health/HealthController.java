package dev.saturn.api.health;

import dev.saturn.api.web.RequestIds;
import io.temporal.client.WorkflowClient;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /health}: the process is alive (no dependency checked, so a restart loop never starts
 * from a database hiccup). {@code /ready}: the database and Temporal both answer.
 */
@RestController
class HealthController {

  private final DataSource dataSource;
  private final WorkflowClient temporal;

  HealthController(DataSource dataSource, WorkflowClient temporal) {
    this.dataSource = dataSource;
    this.temporal = temporal;
  }

  record Health(String status, String requestId, Map<String, String> checks) {}

  @GetMapping("/health")
  public Health health() {
    return new Health("ok", RequestIds.current(), null);
  }

  @GetMapping("/ready")
  public ResponseEntity<Health> ready() {
    Map<String, String> checks = new LinkedHashMap<>();
    checks.put("database", database());
    checks.put("temporal", temporal());
    boolean ready = checks.values().stream().allMatch("ok"::equals);
    return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .body(new Health(ready ? "ready" : "not_ready", RequestIds.current(), checks));
  }

  private String database() {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(2) ? "ok" : "unreachable";
    } catch (Exception e) {
      return "unreachable";
    }
  }

  private String temporal() {
    try {
      temporal.getWorkflowServiceStubs().healthCheck();
      return "ok";
    } catch (Exception e) {
      return "unreachable";
    }
  }
}
