package dev.saturn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * helm/saturn through Helm itself (helm-java runs Helm's Go code in process; no helm binary, no
 * cluster): lint and template with each example values file, then the rendered manifests checked.
 */
class HelmChartTest {

  private static final Path CHART = RepositoryFiles.path("helm/saturn");
  /** Helm renders for v1.20 unless told otherwise; the chart asks for 1.25 or newer. */
  private static final String KUBE_VERSION = "1.31.0";

  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"minimal", "temporal-cloud", "full"})
  void chartPassesStrictLintWithTheValuesFile(String values) {
    LintResult lint = new Helm(chartWithValues(values)).lint().strict().call();

    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"minimal", "temporal-cloud", "full"})
  void everyContainerIsProbedLimitedAndLockedDown(String values) {
    Manifests manifests = render(values);

    List<Map<String, Object>> deployments = manifests.ofKind("Deployment");
    assertThat(deployments).hasSize(2);
    for (Map<String, Object> deployment : deployments) {
      String name = Yamls.string(deployment, "metadata", "name");
      Map<String, Object> pod = Yamls.at(deployment, "spec", "template", "spec");
      assertThat(Yamls.string(pod, "securityContext", "seccompProfile", "type")).as(name).isEqualTo("RuntimeDefault");
      List<Map<String, Object>> containers = Yamls.list(pod, "containers");
      assertThat(containers).isNotEmpty();
      for (Map<String, Object> container : containers) {
        String where = name + "/" + container.get("name");
        assertThat(Yamls.string(container, "livenessProbe", "httpGet", "path")).as(where).isEqualTo("/health");
        assertThat(Yamls.string(container, "readinessProbe", "httpGet", "path")).as(where).isEqualTo("/ready");
        assertThat(Yamls.string(container, "startupProbe", "httpGet", "path")).as(where).isEqualTo("/health");
        assertThat(Yamls.<Object>at(container, "resources", "limits", "cpu")).as(where).isNotNull();
        assertThat(Yamls.<Object>at(container, "resources", "limits", "memory")).as(where).isNotNull();
        assertThat(Yamls.<Object>at(container, "resources", "requests", "memory")).as(where).isNotNull();
        Object runAsNonRoot = Yamls.at(container, "securityContext", "runAsNonRoot");
        assertThat(runAsNonRoot != null ? runAsNonRoot : Yamls.at(pod, "securityContext", "runAsNonRoot")).as(where).isEqualTo(true);
        assertThat(Yamls.<Object>at(container, "securityContext", "readOnlyRootFilesystem")).as(where).isEqualTo(true);
        assertThat(Yamls.<Object>at(container, "securityContext", "allowPrivilegeEscalation")).as(where).isEqualTo(false);
        assertThat(Yamls.<Object>at(container, "securityContext", "capabilities", "drop")).as(where).isEqualTo(List.of("ALL"));
        String image = (String) container.get("image");
        assertThat(image).as(where).doesNotEndWith(":latest").matches(".+(:\\d+\\.\\d+\\.\\d+|@sha256:[0-9a-f]{64})");
        assertThat(mountPaths(container)).as(where).contains("/tmp", "/var/lib/saturn");
      }
      for (String volume : List.of("tmp", "data")) {
        assertThat(Yamls.list(pod, "volumes"))
            .as(where(name, volume))
            .anySatisfy(v -> assertThat(v).containsEntry("name", volume).containsKey("emptyDir"));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"minimal", "temporal-cloud", "full"})
  void apiAndWorkerDeploymentsRunOneRoleEach(String values) {
    Manifests manifests = render(values);

    assertThat(env(manifests.named("Deployment", "saturn-api"))).containsEntry("SATURN_ROLES", "api");
    assertThat(env(manifests.named("Deployment", "saturn-worker"))).containsEntry("SATURN_ROLES", "worker");
    Map<String, Object> config = manifests.named("ConfigMap", "saturn");
    assertThat(Yamls.<Map<String, Object>>at(config, "data"))
        .containsEntry("SATURN_TEMPORAL_MODE", "external")
        .containsEntry("MANAGEMENT_SERVER_ADDRESS", "0.0.0.0")
        .containsEntry("MANAGEMENT_SERVER_PORT", "8081");
    assertThat(Yamls.string(manifests.named("Service", "saturn-api"), "spec", "ports")).contains("management");
    assertThat(Yamls.string(manifests.named("Service", "saturn-worker"), "spec", "ports")).contains("management");
  }

  @ParameterizedTest
  @ValueSource(strings = {"minimal", "temporal-cloud", "full"})
  void everyVariableTheChartSetsIsASettingDocumentedInOperationsMd(String values) {
    Manifests manifests = render(values);
    Set<String> variables = new LinkedHashSet<>();
    manifests.ofKind("ConfigMap").forEach(map -> variables.addAll(Yamls.<Map<String, Object>>at(map, "data").keySet()));
    manifests.ofKind("Secret").stream()
        .filter(secret -> "Opaque".equals(secret.get("type")))
        .forEach(secret -> variables.addAll(Yamls.<Map<String, Object>>at(secret, "stringData").keySet()));
    manifests.ofKind("Deployment").forEach(deployment -> variables.addAll(env(deployment).keySet()));

    assertThat(variables).contains("SATURN_DB_URL", "SATURN_ROLES");
    assertThat(DocumentedSettings.fromOperationsDoc().undocumented(variables)).as("undocumented variables").isEmpty();
  }

  @Test
  void minimalInstallHasNoOptionalObjectsAndItsOwnSecret() {
    Manifests manifests = render("minimal");

    assertThat(manifests.kinds()).doesNotContain("Ingress", "HorizontalPodAutoscaler", "ServiceMonitor");
    assertThat(manifests.ofKind("PodDisruptionBudget")).hasSize(2);
    Map<String, Object> secret = manifests.named("Secret", "saturn");
    assertThat(Yamls.<Map<String, Object>>at(secret, "stringData"))
        .containsKeys("SATURN_DB_USERNAME", "SATURN_DB_PASSWORD", "SATURN_ADMIN_TOKEN", "SATURN_JWT_SECRET", "SATURN_TOOLS_SECRET_KEY")
        .doesNotContainKey("SATURN_TEMPORAL_API_KEY");
    assertThat(Yamls.string(manifests.named("Deployment", "saturn-api"), "spec", "template", "spec", "containers"))
        .contains("secretRef={name=saturn}");
    assertThat(Yamls.<Object>at(manifests.named("Deployment", "saturn-api"), "spec", "replicas")).isEqualTo(2);
  }

  @Test
  void temporalCloudWithMtlsMountsTheClientCertificateWhereSaturnReadsIt() {
    Manifests manifests = render("temporal-cloud");

    Map<String, Object> tls = manifests.named("Secret", "saturn-temporal-tls");
    assertThat(tls.get("type")).isEqualTo("kubernetes.io/tls");
    Map<String, Object> config = Yamls.at(manifests.named("ConfigMap", "saturn"), "data");
    assertThat(config)
        .containsEntry("SATURN_TEMPORAL_TARGET", "saturn-prod.a1b2c.tmprl.cloud:7233")
        .containsEntry("SATURN_TEMPORAL_TLS_CLIENT_CERT_FILE", "/etc/saturn/temporal-tls/tls.crt")
        .containsEntry("SATURN_TEMPORAL_TLS_CLIENT_KEY_FILE", "/etc/saturn/temporal-tls/tls.key");
    for (String role : List.of("api", "worker")) {
      Map<String, Object> pod = Yamls.at(manifests.named("Deployment", "saturn-" + role), "spec", "template", "spec");
      assertThat(Yamls.list(pod, "volumes"))
          .anySatisfy(volume -> assertThat(Yamls.string(volume, "secret", "secretName")).isEqualTo("saturn-temporal-tls"));
      assertThat(mountPaths(Yamls.list(pod, "containers").get(0))).contains("/etc/saturn/temporal-tls");
    }
  }

  @Test
  void temporalCloudWithAnApiKeyPutsTheKeyInTheSecretAndMountsNoCertificate() {
    Manifests manifests =
        render(
            "temporal-cloud",
            template ->
                template
                    .set("temporal.tls.clientCert", "")
                    .set("temporal.tls.clientKey", "")
                    .set("temporal.target", "eu-west-1.aws.api.temporal.io:7233")
                    .set("secrets.temporalApiKey", "CHANGE_ME"));

    assertThat(Yamls.<Map<String, Object>>at(manifests.named("Secret", "saturn"), "stringData"))
        .containsEntry("SATURN_TEMPORAL_API_KEY", "CHANGE_ME");
    assertThat(Yamls.<Map<String, Object>>at(manifests.named("ConfigMap", "saturn"), "data"))
        .doesNotContainKey("SATURN_TEMPORAL_TLS_CLIENT_CERT_FILE");
    assertThat(manifests.ofKind("Secret")).noneSatisfy(secret -> assertThat(secret.get("type")).isEqualTo("kubernetes.io/tls"));
    assertThat(Yamls.string(manifests.named("Deployment", "saturn-worker"), "spec", "template", "spec", "volumes"))
        .doesNotContain("temporal-tls");
  }

  @Test
  void fullInstallScalesBothRolesAndExposesOnlyTheApi() {
    Manifests manifests = render("full");

    assertThat(Yamls.<Object>at(manifests.named("Deployment", "saturn-api"), "spec", "replicas")).as("the HPA decides").isNull();
    Map<String, Object> apiHpa = manifests.named("HorizontalPodAutoscaler", "saturn-api");
    assertThat(Yamls.string(apiHpa, "spec", "scaleTargetRef", "name")).isEqualTo("saturn-api");
    assertThat(Yamls.list(apiHpa, "spec", "metrics")).extracting(metric -> metric.get("type")).containsExactly("Resource");

    Map<String, Object> workerHpa = manifests.named("HorizontalPodAutoscaler", "saturn-worker");
    assertThat(Yamls.string(workerHpa, "spec", "scaleTargetRef", "name")).isEqualTo("saturn-worker");
    assertThat(Yamls.list(workerHpa, "spec", "metrics"))
        .anySatisfy(
            metric -> {
              assertThat(metric.get("type")).isEqualTo("External");
              assertThat(Yamls.string(metric, "external", "metric", "name")).isEqualTo("temporal_workflow_task_schedule_to_start_latency");
            })
        .anySatisfy(metric -> assertThat(Yamls.string(metric, "external", "metric", "name")).isEqualTo("temporal_activity_schedule_to_start_latency"));

    Map<String, Object> ingress = manifests.named("Ingress", "saturn");
    assertThat(Yamls.string(ingress, "spec", "rules")).contains("name=saturn-api").contains("port={name=http}").doesNotContain("management");

    Map<String, Object> monitor = manifests.named("ServiceMonitor", "saturn");
    assertThat(Yamls.list(monitor, "spec", "endpoints"))
        .singleElement()
        .satisfies(endpoint -> assertThat(endpoint).containsEntry("port", "management").containsEntry("path", "/actuator/prometheus"));
    assertThat(manifests.ofKind("PodDisruptionBudget")).hasSize(2);

    assertThat(manifests.ofKind("Secret")).as("secrets.existingSecret: the chart makes none").isEmpty();
    assertThat(Yamls.string(manifests.named("Deployment", "saturn-worker"), "spec", "template", "spec", "containers"))
        .contains("secretRef={name=saturn-secrets}")
        .contains("registry.example.com/saturn/saturn@sha256:");
    assertThat(env(manifests.named("Deployment", "saturn-worker")))
        .containsEntry("SATURN_LLM_CALLS_THREADS", "64")
        .containsEntry("OTEL_SERVICE_NAME", "saturn-worker");
  }

  @Test
  void givenLatestAsTheImageTag_whenRendered_itShouldFail() {
    assertThatThrownBy(() -> render("minimal", template -> template.set("image.tag", "latest")))
        .hasMessageContaining("not \"latest\"");
  }

  @Test
  void givenNoDatabaseUrl_whenRendered_itShouldFailNamingTheSetting() {
    assertThatThrownBy(() -> render("minimal", template -> template.set("database.url", "")))
        .hasMessageContaining("database.url is required");
  }

  private Manifests render(String values) {
    return render(values, template -> template);
  }

  private Manifests render(String values, java.util.function.UnaryOperator<TemplateCommand> customize) {
    TemplateCommand template =
        new Helm(CHART).template().withName("saturn").withNamespace("saturn").withKubeVersion(KUBE_VERSION).withValuesFile(valuesFile(values));
    return new Manifests(Yamls.documents(customize.apply(template).call()));
  }

  private static Path valuesFile(String values) {
    return CHART.resolve("ci/" + values + "-values.yaml");
  }

  /**
   * helm-java's lint takes no values file: lint a copy of the chart whose values.yaml is the
   * chart's own with the file's values merged over it, as Helm merges them for an install.
   */
  private Path chartWithValues(String values) {
    Path copy = temp.resolve("saturn");
    try (Stream<Path> files = Files.walk(CHART)) {
      for (Path file : files.toList()) {
        Path target = copy.resolve(CHART.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
      Map<String, Object> merged = merge(Yamls.map(Files.readString(CHART.resolve("values.yaml"))), Yamls.map(Files.readString(valuesFile(values))));
      Files.writeString(copy.resolve("values.yaml"), Yamls.json(merged));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overlay) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    overlay.forEach(
        (key, value) -> {
          if (value instanceof Map<?, ?> overlayMap && merged.get(key) instanceof Map<?, ?> baseMap) {
            merged.put(key, merge((Map<String, Object>) baseMap, (Map<String, Object>) overlayMap));
          } else {
            merged.put(key, value);
          }
        });
    return merged;
  }

  private static Map<String, String> env(Map<String, Object> deployment) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Map<String, Object> container : Yamls.list(deployment, "spec", "template", "spec", "containers")) {
      for (Map<String, Object> variable : Yamls.list(container, "env")) {
        env.put((String) variable.get("name"), String.valueOf(variable.get("value")));
      }
    }
    return env;
  }

  private static List<String> mountPaths(Map<String, Object> container) {
    List<String> paths = new ArrayList<>();
    Yamls.list(container, "volumeMounts").forEach(mount -> paths.add((String) mount.get("mountPath")));
    return paths;
  }

  private static String where(String deployment, String volume) {
    return deployment + " volume " + volume;
  }

  /** The documents of one {@code helm template} run. */
  private record Manifests(List<Map<String, Object>> documents) {

    List<Map<String, Object>> ofKind(String kind) {
      return documents.stream().filter(document -> kind.equals(document.get("kind"))).toList();
    }

    Set<String> kinds() {
      Set<String> kinds = new LinkedHashSet<>();
      documents.forEach(document -> kinds.add((String) document.get("kind")));
      return kinds;
    }

    Map<String, Object> named(String kind, String name) {
      return ofKind(kind).stream()
          .filter(document -> name.equals(Yamls.string(document, "metadata", "name")))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " among " + kinds()));
    }
  }
}
