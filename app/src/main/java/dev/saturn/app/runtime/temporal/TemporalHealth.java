package dev.saturn.app.runtime.temporal;

import dev.saturn.api.health.ReadinessProbe;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Temporal can serve this process right now, for readiness checks.
 *
 * <p>It asks for the namespace rather than just pinging the frontend: a server that answers but
 * has not registered the namespace yet (the dev server during startup) or refuses our credentials
 * (a wrong API key) is of no use to the app.
 */
public final class TemporalHealth implements ReadinessProbe {

  private static final Logger log = LoggerFactory.getLogger(TemporalHealth.class);

  private final WorkflowServiceStubs stubs;
  private final String namespace;

  public TemporalHealth(WorkflowServiceStubs stubs, String namespace) {
    this.stubs = stubs;
    this.namespace = namespace;
  }

  public boolean isReachable(Duration timeout) {
    return namespaceAnswers(stubs, namespace, timeout);
  }

  @Override
  public String name() {
    return "temporal";
  }

  @Override
  public boolean isReady(Duration timeout) {
    return isReachable(timeout);
  }

  public String namespace() {
    return namespace;
  }

  static boolean namespaceAnswers(WorkflowServiceStubs stubs, String namespace, Duration timeout) {
    try {
      stubs
          .blockingStub()
          .withDeadlineAfter(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)
          .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
      return true;
    } catch (StatusRuntimeException e) {
      log.debug("Temporal namespace {} not reachable: {}", namespace, e.getStatus());
      return false;
    }
  }
}
