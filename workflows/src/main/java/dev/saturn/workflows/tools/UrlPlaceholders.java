package dev.saturn.workflows.tools;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code {name}} placeholders of a tool's URL template, defined once for the API (which checks
 * templates) and the tool activity (which fills them). Pure string handling, no I/O.
 */
public final class UrlPlaceholders {

  /** One placeholder; group 1 is its name. */
  public static final Pattern PATTERN = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]{0,63})}");

  private UrlPlaceholders() {}

  /** The names the template uses, in order of first use. */
  public static Set<String> names(String template) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PATTERN.matcher(template);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
