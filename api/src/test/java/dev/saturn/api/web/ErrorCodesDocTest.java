package dev.saturn.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.workflows.common.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/error_codes.md is what clients read; it must say what the enum does. */
class ErrorCodesDocTest {

  private static final Pattern ROW =
      Pattern.compile("^\\|\\s*`([A-Z_]+)`\\s*\\|\\s*(\\d{3})\\s*\\|\\s*([^|]+?)\\s*\\|");

  @Test
  void givenTheRegistryTable_whenComparedWithTheEnum_itShouldListExactlyTheSameCodes()
      throws IOException {
    Map<String, Row> documented = registryRows();

    assertThat(documented.keySet())
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
  }

  @Test
  void givenTheRegistryTable_whenComparedWithTheEnum_itShouldStateTheSameStatusesAndTitles()
      throws IOException {
    Map<String, Row> documented = registryRows();
    Map<String, Row> actual =
        Arrays.stream(ErrorCode.values())
            .collect(
                Collectors.toMap(
                    Enum::name,
                    code -> new Row(code.httpStatus(), code.title()),
                    (a, b) -> a,
                    LinkedHashMap::new));

    assertThat(documented).isEqualTo(actual);
  }

  private static Map<String, Row> registryRows() throws IOException {
    String markdown = Files.readString(locate());
    int start = markdown.indexOf("\n## Registry");
    assertThat(start).as("docs/error_codes.md has a '## Registry' section").isNotNegative();
    int end = markdown.indexOf("\n## ", start + 1);
    String section = markdown.substring(start, end < 0 ? markdown.length() : end);

    Map<String, Row> rows = new LinkedHashMap<>();
    for (String line : section.split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        Row previous = rows.put(m.group(1), new Row(Integer.parseInt(m.group(2)), m.group(3)));
        assertThat(previous).as("%s is listed once", m.group(1)).isNull();
      }
    }
    return rows;
  }

  /** Surefire runs in the module directory, an IDE maybe in the root: look upwards. */
  private static Path locate() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("docs").resolve("error_codes.md");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("docs/error_codes.md not found above " + Path.of("").toAbsolutePath());
  }

  record Row(int status, String title) {}
}
