package dev.saturn.app.runtime.temporal;

import dev.saturn.workflows.common.SaturnSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.ServiceStubsOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SATURN's search attributes ({@link SaturnSearchAttributes}) on the Temporal server: a workflow
 * start that names an attribute the namespace does not know is refused, so they must exist before
 * the first turn. A server this process runs gets the missing ones added through the operator API
 * (the dev server's {@code --search-attribute} flags only register them in a new database); on an
 * external server they are the operator's to create, and a missing one is logged with the command.
 */
public final class SearchAttributeSetup {

  private static final Logger log = LoggerFactory.getLogger(SearchAttributeSetup.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private SearchAttributeSetup() {}

  /**
   * Adds what {@code namespace} lacks, on a server this process runs (loopback, plain text).
   *
   * @return whether anything was added (the server's services may cache the old set for a while)
   */
  static boolean registerMissing(String target, String namespace) {
    OperatorServiceStubs stubs = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder().setTarget(target).validateAndBuildWithDefaults());
    try {
      Map<String, IndexedValueType> missing = missing(stubs, namespace);
      if (missing.isEmpty()) {
        return false;
      }
      stubs.blockingStub().withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .addSearchAttributes(AddSearchAttributesRequest.newBuilder()
              .setNamespace(namespace).putAllSearchAttributes(missing).build());
      log.info("registered search attributes {} in namespace {}", missing.keySet(), namespace);
      return true;
    } finally {
      stubs.shutdownNow();
    }
  }

  /**
   * Logs an ERROR naming every missing attribute and the commands that create them; a server
   * whose operator API cannot be asked (permissions, Temporal Cloud) gets a WARN only.
   *
   * @param options the options of the client's own stubs (target, TLS, API key)
   */
  static void checkExternal(ServiceStubsOptions options, String namespace) {
    OperatorServiceStubs stubs = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder(options).validateAndBuildWithDefaults());
    try {
      Map<String, IndexedValueType> missing = missing(stubs, namespace);
      if (!missing.isEmpty()) {
        log.error("Temporal namespace {} lacks SATURN's search attributes {}: every workflow start fails until they"
            + " exist. Create them (docs/operations.md, \"Search attributes\"): {}", namespace, missing.keySet(),
            createCommands(namespace, missing));
      }
    } catch (StatusRuntimeException e) {
      log.warn("cannot check SATURN's search attributes in Temporal namespace {} ({}); make sure they exist:"
          + " {}", namespace, e.getStatus(), createCommands(namespace, SaturnSearchAttributes.definitions()));
    } finally {
      stubs.shutdownNow();
    }
  }

  /**
   * Whether the server SATURN runs at {@code target} lists the system attribute {@code BuildIds} as
   * a keyword list, i.e. accepts it at a workflow's start ({@link UnversionedBuildIdAtStart}).
   */
  static boolean listsUnversionedBuildIds(String target, String namespace) {
    OperatorServiceStubs stubs = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder().setTarget(target).validateAndBuildWithDefaults());
    try {
      return listed(stubs, namespace).getSystemAttributesMap().get(UnversionedBuildIdAtStart.BUILD_IDS.getName())
          == IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST;
    } finally {
      stubs.shutdownNow();
    }
  }

  static Map<String, IndexedValueType> missing(OperatorServiceStubs stubs, String namespace) {
    ListSearchAttributesResponse present = listed(stubs, namespace);
    Map<String, IndexedValueType> missing = new LinkedHashMap<>();
    for (Map.Entry<String, IndexedValueType> wanted : SaturnSearchAttributes.definitions().entrySet()) {
      if (!present.containsCustomAttributes(wanted.getKey())) {
        missing.put(wanted.getKey(), wanted.getValue());
      }
    }
    return missing;
  }

  private static ListSearchAttributesResponse listed(OperatorServiceStubs stubs, String namespace) {
    try {
      return stubs.blockingStub().withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build());
    } catch (StatusRuntimeException e) {
      // The Java test server keeps one set for all namespaces and has no listing: an empty one.
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
      return ListSearchAttributesResponse.getDefaultInstance();
    }
  }

  /** The CLI commands that create {@code attributes}, as one line for a log message. */
  static String createCommands(String namespace, Map<String, IndexedValueType> attributes) {
    return attributes.entrySet().stream()
        .map(a -> "temporal operator search-attribute create --namespace " + namespace + " --name " + a.getKey()
            + " --type " + cliType(a.getValue()))
        .collect(Collectors.joining("; "));
  }

  /** {@code INDEXED_VALUE_TYPE_KEYWORD} → {@code Keyword}: the name the CLI and the dev server's flag take. */
  static String cliType(IndexedValueType type) {
    String simple = type.name().substring("INDEXED_VALUE_TYPE_".length()).toLowerCase(Locale.ROOT);
    return switch (simple) {
      case "keyword_list" -> "KeywordList";
      default -> Character.toUpperCase(simple.charAt(0)) + simple.substring(1);
    };
  }
}
