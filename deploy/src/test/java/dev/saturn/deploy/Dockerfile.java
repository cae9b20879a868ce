package dev.saturn.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read into stages of instructions, enough to check its shape: line continuations
 * joined, comments dropped, global ARG defaults substituted into FROM.
 */
record Dockerfile(Map<String, String> globalArgs, List<Stage> stages) {

  record Instruction(String keyword, String arguments) {}

  record Stage(String image, String name, List<Instruction> instructions) {

    List<Instruction> all(String keyword) {
      return instructions.stream().filter(instruction -> instruction.keyword().equals(keyword)).toList();
    }

    Instruction last(String keyword) {
      List<Instruction> found = all(keyword);
      return found.isEmpty() ? null : found.get(found.size() - 1);
    }
  }

  private static final Pattern FROM = Pattern.compile("(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?", Pattern.CASE_INSENSITIVE);
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");

  static Dockerfile parse(String text) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      pending.append(trimmed);
      String full = pending.toString().strip();
      pending.setLength(0);
      if (full.isEmpty()) {
        continue;
      }
      int space = full.indexOf(' ');
      instructions.add(
          new Instruction(
              full.substring(0, space < 0 ? full.length() : space).toUpperCase(Locale.ROOT),
              space < 0 ? "" : full.substring(space + 1).strip()));
    }

    Map<String, String> globalArgs = new LinkedHashMap<>();
    List<Stage> stages = new ArrayList<>();
    Stage current = null;
    for (Instruction instruction : instructions) {
      if (instruction.keyword().equals("FROM")) {
        Matcher from = FROM.matcher(instruction.arguments());
        if (!from.matches()) {
          throw new IllegalArgumentException("unreadable FROM " + instruction.arguments());
        }
        current = new Stage(substitute(from.group(1), globalArgs), from.group(2), new ArrayList<>());
        stages.add(current);
      } else if (current == null) {
        if (instruction.keyword().equals("ARG")) {
          String[] nameAndDefault = instruction.arguments().split("=", 2);
          globalArgs.put(nameAndDefault[0], nameAndDefault.length > 1 ? nameAndDefault[1] : null);
        }
      } else {
        current.instructions().add(instruction);
      }
    }
    return new Dockerfile(globalArgs, stages);
  }

  private static String substitute(String value, Map<String, String> args) {
    Matcher matcher = VARIABLE.matcher(value);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String replacement = args.get(matcher.group(1));
      if (replacement == null) {
        throw new IllegalArgumentException("FROM uses " + matcher.group(1) + ", which has no default");
      }
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(resolved);
    return resolved.toString();
  }

  Stage last() {
    return stages.get(stages.size() - 1);
  }
}
