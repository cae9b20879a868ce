package dev.saturn.api.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.db.identity.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/security.md is what admins read to decide who gets which role; it must say what the code does. */
class SecurityDocTest {

  @Test
  void givenTheRoleTable_whenComparedWithRolePermissions_itShouldGrantExactlyTheSame() throws IOException {
    Map<Role, Set<Permission>> documented = documentedRoles();

    Map<Role, Set<Permission>> actual = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      actual.put(role, EnumSet.copyOf(RolePermissions.of(role)));
    }
    assertThat(documented).isEqualTo(actual);
  }

  /** Reads the table under "### Roles": a header row naming the roles, then one row per permission. */
  private static Map<Role, Set<Permission>> documentedRoles() throws IOException {
    String markdown = Files.readString(locate());
    int start = markdown.indexOf("\n### Roles");
    assertThat(start).as("docs/security.md has a '### Roles' section").isNotNegative();
    int end = markdown.indexOf("\n#", start + 1);
    List<String> rows = markdown.substring(start, end < 0 ? markdown.length() : end).lines()
        .filter(line -> line.startsWith("|"))
        .toList();
    List<String> header = cells(rows.get(0));
    assertThat(header.get(0)).isEqualTo("permission");
    List<Role> roles = new ArrayList<>();
    for (String name : header.subList(1, header.size())) {
      roles.add(Role.fromDb(name));
    }
    assertThat(roles).as("one column per role").containsExactlyInAnyOrder(Role.values());

    Map<Role, Set<Permission>> table = new EnumMap<>(Role.class);
    roles.forEach(role -> table.put(role, EnumSet.noneOf(Permission.class)));
    Set<Permission> seen = EnumSet.noneOf(Permission.class);
    for (String row : rows.subList(2, rows.size())) {
      List<String> cells = cells(row);
      Permission permission = Permission.valueOf(cells.get(0).replace("`", ""));
      assertThat(seen.add(permission)).as("%s is listed once", permission).isTrue();
      assertThat(cells).as("row %s", permission).hasSize(roles.size() + 1);
      for (int i = 0; i < roles.size(); i++) {
        String cell = cells.get(i + 1).toLowerCase(Locale.ROOT);
        assertThat(cell).as("%s / %s", permission, roles.get(i)).isIn("yes", "no");
        if (cell.equals("yes")) {
          table.get(roles.get(i)).add(permission);
        }
      }
    }
    assertThat(seen).as("every permission has a row").containsExactlyInAnyOrder(Permission.values());
    return table;
  }

  private static List<String> cells(String row) {
    String inner = row.strip();
    inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
    return Arrays.stream(inner.split("\\|")).map(String::strip).toList();
  }

  /** Surefire runs in the module directory, an IDE maybe in the root: look upwards. */
  private static Path locate() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("docs").resolve("security.md");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("docs/security.md not found above " + Path.of("").toAbsolutePath());
  }
}
