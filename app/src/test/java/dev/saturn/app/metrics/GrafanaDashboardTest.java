package dev.saturn.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboard file is one Grafana can import: a Prometheus datasource variable every query uses,
 * unique panel ids, a query behind every graph. That each metric it queries exists is
 * {@link MetricsEndToEndTest}'s to prove, against a real scrape.
 */
class GrafanaDashboardTest {

  private final GrafanaDashboard dashboard = GrafanaDashboard.load();

  @Test
  void givenTheDashboard_itShouldChooseItsPrometheusDatasourceByAVariable() {
    JsonNode variables = dashboard.json().path("templating").path("list");
    assertThat(variables.findValuesAsText("name")).contains("datasource");
    for (JsonNode variable : variables) {
      if (variable.path("name").asText().equals("datasource")) {
        assertThat(variable.path("type").asText()).isEqualTo("datasource");
        assertThat(variable.path("query").asText()).isEqualTo("prometheus");
      }
    }
    for (JsonNode panel : dashboard.panels()) {
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo("${datasource}");
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
      panel.path("targets").forEach(target -> {
        assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
        assertThat(target.path("expr").asText()).isNotBlank();
      });
    }
  }

  @Test
  void givenTheDashboard_itsPanelsShouldHaveUniqueIdsTitlesAndPlaces() {
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.panels()) {
      assertThat(ids.add(panel.path("id").asInt())).as("panel id %s", panel.path("id")).isTrue();
      assertThat(panel.path("title").asText()).isNotBlank();
      JsonNode grid = panel.path("gridPos");
      assertThat(grid.path("w").asInt()).isBetween(1, 24);
      assertThat(grid.path("x").asInt() + grid.path("w").asInt()).isLessThanOrEqualTo(24);
    }
    assertThat(dashboard.json().path("uid").asText()).isNotBlank();
    assertThat(dashboard.json().path("schemaVersion").asInt()).isPositive();
  }

  @Test
  void givenTheDashboard_itShouldDrawTheMetersOperatorsAskFor() {
    assertThat(dashboard.metricNames()).contains(
        "saturn_turns_total",
        "saturn_turn_duration_seconds_bucket",
        "saturn_llm_call_duration_seconds_bucket",
        "saturn_llm_tokens_total",
        "saturn_tool_calls_total",
        "saturn_approvals_pending",
        "saturn_approval_wait_seconds_bucket",
        "saturn_kb_documents_current",
        "saturn_kb_chunks_embedded_total",
        "saturn_usage_events_total",
        "saturn_billing_invoice_drafts_total",
        "temporal_workflow_task_schedule_to_start_latency_seconds_bucket",
        "temporal_activity_schedule_to_start_latency_seconds_bucket",
        "temporal_workflow_task_execution_latency_seconds_bucket",
        "temporal_activity_execution_latency_seconds_bucket",
        "temporal_sticky_cache_size");
  }

  @Test
  void givenTheDashboard_itShouldQueryNoMetricButSaturnsAndTemporals() {
    assertThat(dashboard.foreignSelectors()).isEmpty();
  }

  @Test
  void givenAQueryWithAForeignMetric_theCheckShouldFindIt() {
    // The checker itself: a selector of another exporter's metric is reported, functions are not.
    List<String> found = List.copyOf(GrafanaDashboard.foreignSelectorsOf(
        List.of("sum(rate(jvm_gc_pause_seconds_count[$__rate_interval])) + max(saturn_approvals_pending{a=\"b\"})")));
    assertThat(found).containsExactly("jvm_gc_pause_seconds_count");
  }
}
