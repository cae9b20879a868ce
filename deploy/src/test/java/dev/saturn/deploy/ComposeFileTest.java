package dev.saturn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.temporal.yml, checked without a Docker engine: against the Compose Specification's
 * JSON Schema, against docs/operations.md, and for the shape SATURN needs.
 */
class ComposeFileTest {

  private static final String COMPOSE_FILE = "docker-compose.temporal.yml";
  private static final List<String> SATURN_SERVICES = List.of("api", "worker");
  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?([-?])([^}]*))?}");

  private final Map<String, Object> compose = Yamls.map(RepositoryFiles.read(COMPOSE_FILE));

  private static Schema composeSpec() {
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_7, builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));
    // The schema's $id is relative ("compose_spec.json"): give it the file's own location as base.
    String spec = "deploy/src/test/resources/compose-spec/compose-spec.json";
    return registry.getSchema(
        SchemaLocation.of(RepositoryFiles.path(spec).toUri().toString()), RepositoryFiles.read(spec), InputFormat.JSON);
  }

  @Test
  void composeFileValidatesAgainstTheComposeSpecification() {
    List<Error> errors = composeSpec().validate(Yamls.tree(compose));

    assertThat(errors).as("Compose Specification violations").isEmpty();
  }

  @Test
  void givenAServiceKeyTheSpecificationLacks_whenValidated_itShouldBeRejected() {
    Map<String, Object> broken = Yamls.map(RepositoryFiles.read(COMPOSE_FILE));
    Map<String, Object> api = Yamls.at(broken, "services", "api");
    api.put("enviroment", Map.of("SATURN_ROLES", "api"));
    api.put("healthcheck", Map.of("interval", 10));

    List<Error> errors = composeSpec().validate(Yamls.tree(broken));

    assertThat(errors).extracting(Error::toString).anySatisfy(error -> assertThat(error).contains("enviroment"));
    assertThat(errors).extracting(Error::toString).anySatisfy(error -> assertThat(error).contains("interval"));
  }

  @Test
  void everyEnvironmentVariableOfTheSaturnServicesIsASettingDocumentedInOperationsMd() {
    DocumentedSettings documented = DocumentedSettings.fromOperationsDoc();

    for (String service : SATURN_SERVICES) {
      Map<String, Object> environment = environment(service);
      assertThat(environment).as(service).isNotEmpty();
      assertThat(documented.undocumented(environment.keySet()))
          .as("variables of %s that docs/operations.md does not document", service)
          .isEmpty();
    }
  }

  @Test
  void apiAndWorkerAreSeparateRolesOnMysqlAndAnExternalTemporal() {
    assertThat(environment("api")).containsEntry("SATURN_ROLES", "api");
    assertThat(environment("worker")).containsEntry("SATURN_ROLES", "worker");
    for (String service : SATURN_SERVICES) {
      Map<String, Object> environment = environment(service);
      assertThat(environment)
          .as(service)
          .containsEntry("SATURN_TEMPORAL_MODE", "external")
          .containsEntry("SATURN_TEMPORAL_TARGET", "temporal:7233")
          .containsEntry("SATURN_KB_VECTOR_STORE", "qdrant")
          .containsEntry("SATURN_QDRANT_HOST", "qdrant")
          // Prometheus scrapes from another container: loopback (the default) would hide the metrics.
          .containsEntry("MANAGEMENT_SERVER_ADDRESS", "0.0.0.0");
      assertThat((String) environment.get("SATURN_DB_URL")).startsWith("jdbc:mysql://saturn-mysql:3306/");
      assertThat(defaults((String) environment.get("OTEL_EXPORTER_OTLP_ENDPOINT"))).startsWith("http://otel-collector:");
      assertThat(Yamls.string(compose, "services", service, "image")).isEqualTo("${SATURN_IMAGE:-saturn:0.1.0}");
      assertThat(Yamls.<Object>at(compose, "services", service, "read_only")).isEqualTo(true);
    }
    assertThat(Yamls.<Object>at(compose, "services", "worker", "ports")).as("workers take no traffic").isNull();
    assertThat(Yamls.<Object>at(compose, "services", "worker", "container_name")).as("workers scale").isNull();
  }

  @Test
  void everyImageIsPinnedToAVersionNeverLatest() {
    Map<String, Object> services = Yamls.at(compose, "services");
    assertThat(services).hasSizeGreaterThanOrEqualTo(12);
    services.forEach(
        (name, service) -> {
          String image = defaults(Yamls.string(service, "image"));
          assertThat(image).as(name).isNotBlank().doesNotContain("latest");
          assertThat(image).as(name + " names a version").matches("[a-z0-9./_-]+:v?\\d+(\\.\\d+)+(-[a-z0-9]+)?");
        });
  }

  @Test
  void servicesStartOnlyOnceWhatTheyNeedIsHealthyOrDone() {
    Map<String, Object> services = Yamls.at(compose, "services");
    forEachEntryOfEveryService(
        "depends_on",
        (name, dependency, how) -> {
          String condition = Yamls.string(how, "condition");
          assertThat(condition).as(name + " -> " + dependency).isNotNull();
          if (condition.equals("service_healthy")) {
            assertThat(Yamls.<Object>at(services, dependency, "healthcheck"))
                .as(dependency + " needs a health check for " + name + " to wait on it")
                .isNotNull();
          }
        });
    for (String service : SATURN_SERVICES) {
      assertThat(Yamls.string(compose, "services", service, "depends_on", "saturn-mysql", "condition")).isEqualTo("service_healthy");
      assertThat(Yamls.string(compose, "services", service, "depends_on", "temporal-namespace", "condition"))
          .isEqualTo("service_completed_successfully");
      assertThat(Yamls.string(compose, "services", service, "depends_on", "qdrant", "condition")).isEqualTo("service_healthy");
    }
    assertThat(Yamls.string(compose, "services", "temporal", "depends_on", "temporal-schema", "condition"))
        .isEqualTo("service_completed_successfully");
  }

  @Test
  void secretsComeFromTheEnvironmentAndTheExampleHoldsOnlyPlaceholders() {
    // TEMPORAL_CODEC_PASS_ACCESS_TOKEN is a switch, not a secret.
    Pattern secretName = Pattern.compile("(?!TEMPORAL_CODEC_PASS_ACCESS_TOKEN$).*(PASSWORD|PWD|_TOKEN|_SECRET|_KEY|_KEYS)$");
    List<String> secretsSeen = new ArrayList<>();
    forEachEntryOfEveryService(
        "environment",
        (name, variable, value) -> {
          if (secretName.matcher(variable).matches()) {
            secretsSeen.add(variable);
            assertThat(String.valueOf(value)).as(name + " " + variable).matches("\\$\\{[A-Z0-9_]+:[?-][^}]*}");
            assertThat(defaults(String.valueOf(value))).as(name + " " + variable + " has no default value").isEmpty();
          }
        });
    assertThat(secretsSeen).contains("SATURN_ADMIN_TOKEN", "SATURN_DB_PASSWORD", "SATURN_TOOLS_SECRET_KEY", "MYSQL_ROOT_PASSWORD");

    Map<String, String> example = envFile(RepositoryFiles.read("deploy/compose.env.example"));
    assertThat(example).containsKeys("SATURN_ADMIN_TOKEN", "SATURN_JWT_SECRET", "SATURN_TOOLS_SECRET_KEY", "SATURN_DB_PASSWORD");
    example.forEach(
        (variable, value) -> {
          if (secretName.matcher(variable).matches()) {
            assertThat(value).as(variable).isIn("", "CHANGE_ME");
          }
        });
    // Every variable the compose file requires is in the example.
    Matcher required = INTERPOLATION.matcher(RepositoryFiles.read(COMPOSE_FILE));
    while (required.find()) {
      if ("?".equals(required.group(2))) {
        assertThat(example).as("deploy/compose.env.example").containsKey(required.group(1));
      }
    }
  }

  @Test
  void monitoringAndTracingReachTheManagementPortsAndJaeger() throws Exception {
    for (String mounted : List.of("./deploy/prometheus.yml", "./deploy/otel-collector.yaml", "./deploy/temporal")) {
      assertThat(Files.exists(RepositoryFiles.path(mounted))).as(mounted).isTrue();
      assertThat(RepositoryFiles.read(COMPOSE_FILE)).contains("- " + mounted + ":");
    }
    Map<String, Object> prometheus = Yamls.map(RepositoryFiles.read("deploy/prometheus.yml"));
    Map<String, Map<String, Object>> jobs = new LinkedHashMap<>();
    for (Map<String, Object> job : Yamls.list(prometheus, "scrape_configs")) {
      jobs.put((String) job.get("job_name"), job);
    }
    for (String service : SATURN_SERVICES) {
      Map<String, Object> job = jobs.get("saturn-" + service);
      assertThat(job).as(service).isNotNull();
      assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
      Map<String, Object> discovery = Yamls.list(job, "dns_sd_configs").get(0);
      assertThat(discovery.get("names")).isEqualTo(List.of(service));
      assertThat(discovery.get("port")).isEqualTo(Integer.valueOf((String) environment(service).get("MANAGEMENT_SERVER_PORT")));
    }

    Map<String, Object> collector = Yamls.map(RepositoryFiles.read("deploy/otel-collector.yaml"));
    String httpReceiver = Yamls.string(collector, "receivers", "otlp", "protocols", "http", "endpoint");
    String endpoint = defaults((String) environment("api").get("OTEL_EXPORTER_OTLP_ENDPOINT"));
    assertThat(endpoint).endsWith(":" + httpReceiver.substring(httpReceiver.lastIndexOf(':') + 1));
    assertThat(Yamls.<List<String>>at(collector, "service", "pipelines", "traces", "exporters")).contains("otlp/jaeger");
    assertThat(Yamls.string(collector, "exporters", "otlp/jaeger", "endpoint")).startsWith("jaeger:");
    assertThat(Yamls.<Object>at(compose, "services", "jaeger")).isNotNull();

    assertThat(defaults(Yamls.string(compose, "services", "temporal-ui", "environment", "TEMPORAL_CODEC_ENDPOINT")))
        .isEqualTo("http://localhost:8080/v1/codec");
  }

  private interface ServiceEntry {
    void accept(String service, String key, Object value);
  }

  /** Every entry of the map {@code key} (environment, depends_on, ...) of every service that has one. */
  private void forEachEntryOfEveryService(String key, ServiceEntry action) {
    Map<String, Object> services = Yamls.at(compose, "services");
    services.forEach(
        (name, service) -> {
          Map<String, Object> entries = Yamls.at(service, key);
          if (entries != null) {
            entries.forEach((entryKey, value) -> action.accept(name, entryKey, value));
          }
        });
  }

  private Map<String, Object> environment(String service) {
    Map<String, Object> environment = Yamls.at(compose, "services", service, "environment");
    return environment == null ? Map.of() : environment;
  }

  /** The value with every {@code ${NAME:-default}} replaced by its default (and {@code ${NAME:?...}} by ""). */
  private static String defaults(String value) {
    Matcher matcher = INTERPOLATION.matcher(value);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String replacement = "-".equals(matcher.group(2)) ? matcher.group(3) : "";
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(resolved);
    return resolved.toString();
  }

  private static Map<String, String> envFile(String text) {
    Map<String, String> variables = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int equals = trimmed.indexOf('=');
      variables.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
    }
    return variables;
  }
}
