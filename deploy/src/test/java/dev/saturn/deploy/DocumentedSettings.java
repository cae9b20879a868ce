package dev.saturn.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables docs/operations.md documents: the first column of every table whose
 * header starts with "env var". {@code SPRING_DATASOURCE_HIKARI_*} and {@code LOGGING_LEVEL_<LOGGER>}
 * stand for every variable with that prefix.
 */
final class DocumentedSettings {

  private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
  private static final Pattern VARIABLE = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final Pattern FAMILY = Pattern.compile("([A-Z][A-Z0-9_]*_)(\\*|<[A-Z]+>)");

  private final Set<String> names;
  private final List<String> prefixes;

  private DocumentedSettings(Set<String> names, List<String> prefixes) {
    this.names = names;
    this.prefixes = prefixes;
  }

  static DocumentedSettings of(String markdown) {
    Set<String> names = new LinkedHashSet<>();
    List<String> prefixes = new ArrayList<>();
    boolean inSettingsTable = false;
    for (String line : markdown.split("\n")) {
      String trimmed = line.strip();
      if (!trimmed.startsWith("|")) {
        inSettingsTable = false;
        continue;
      }
      String firstCell = trimmed.substring(1).split("\\|", -1)[0].strip();
      if (firstCell.equals("env var")) {
        inSettingsTable = true;
        continue;
      }
      if (!inSettingsTable) {
        continue;
      }
      Matcher backticked = BACKTICKED.matcher(firstCell);
      while (backticked.find()) {
        String token = backticked.group(1);
        Matcher family = FAMILY.matcher(token);
        if (family.matches()) {
          prefixes.add(family.group(1));
        } else if (VARIABLE.matcher(token).matches()) {
          names.add(token);
        }
      }
    }
    return new DocumentedSettings(names, prefixes);
  }

  static DocumentedSettings fromOperationsDoc() {
    return of(RepositoryFiles.read("docs/operations.md"));
  }

  boolean documents(String variable) {
    return names.contains(variable) || prefixes.stream().anyMatch(variable::startsWith);
  }

  List<String> undocumented(Iterable<String> variables) {
    List<String> missing = new ArrayList<>();
    for (String variable : variables) {
      if (!documents(variable)) {
        missing.add(variable);
      }
    }
    return missing;
  }

  int size() {
    return names.size();
  }
}
