package dev.saturn.app.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code docs/grafana/saturn.json} as the tests read it: its panels and the PromQL they run. */
final class GrafanaDashboard {

  static final Path FILE = Path.of("..", "docs", "grafana", "saturn.json");

  /** SATURN's and the Temporal SDK's meters, by their Prometheus names. */
  private static final Pattern OUR_METRIC = Pattern.compile("\\b((?:saturn|temporal)_[a-z0-9_]+)\\b");
  /** Any series selector: a name right before its label matchers or range. */
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*[{\\[]");

  private final JsonNode json;

  private GrafanaDashboard(JsonNode json) {
    this.json = json;
  }

  static GrafanaDashboard load() {
    try {
      return new GrafanaDashboard(new ObjectMapper().readTree(Files.readString(FILE)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + FILE.toAbsolutePath(), e);
    }
  }

  JsonNode json() {
    return json;
  }

  /** Every panel, also those inside collapsed rows. */
  List<JsonNode> panels() {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : json.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }

  List<String> expressions() {
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : panels()) {
      panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText()));
    }
    return expressions;
  }

  /** The metric names the expressions query. */
  Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    for (String expression : expressions()) {
      Matcher m = OUR_METRIC.matcher(expression);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** Names in selector position that are not SATURN's or Temporal's (a typo, or another exporter's). */
  Set<String> foreignSelectors() {
    return foreignSelectorsOf(expressions());
  }

  static Set<String> foreignSelectorsOf(List<String> expressions) {
    Set<String> foreign = new TreeSet<>();
    for (String expression : expressions) {
      Matcher m = SELECTOR.matcher(expression.replaceAll("\\$\\{?[A-Za-z_]+}?", "x"));
      while (m.find()) {
        String name = m.group(1);
        if (!OUR_METRIC.matcher(name).matches()) {
          foreign.add(name);
        }
      }
    }
    return foreign;
  }
}
