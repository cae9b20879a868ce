package dev.saturn.api.audit;

import dev.saturn.api.console.ConsoleController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.db.audit.AuditEntry;
import dev.saturn.db.audit.AuditFilter;
import dev.saturn.db.audit.AuditLogRepository;
import dev.saturn.db.common.Cursors;
import dev.saturn.db.common.Page;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The console's Audit log page: the company's rows newest first through the repository of
 * {@code GET /v1/audit-logs}, filtered by actor, action and UTC dates, paged by its keyset cursor.
 * "Previous" works because each page's link carries the cursors of the pages before it.
 */
@ConsoleController
class AuditLogConsoleController {

  static final String PATH = ConsoleController.ROOT + "/audit-log";
  static final int PAGE = 25;
  /** Bounds the trail of earlier cursors a link carries. */
  private static final int MAX_TRAIL = 40;

  private final AuditLogRepository log;

  AuditLogConsoleController(AuditLogRepository log) {
    this.log = log;
  }

  @GetMapping(PATH)
  @Requires(Permission.AUDIT_READ)
  String list(
      Caller caller,
      @RequestParam(defaultValue = "") String actor,
      @RequestParam(defaultValue = "") String action,
      @RequestParam(defaultValue = "") String from,
      @RequestParam(defaultValue = "") String to,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "") String trail,
      Model model,
      HttpServletResponse response) {
    Map<String, String> errors = new LinkedHashMap<>();
    Instant fromInstant = day(from, "from", errors, 0);
    Instant toInstant = day(to, "to", errors, 1); // "to" is a whole day: up to its end
    if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
      errors.put("to", "must not be before 'from'");
    }
    if (actor.length() > 100) {
      errors.put("actor", "must be at most 100 characters");
    }
    if (action.length() > 64) {
      errors.put("action", "must be at most 64 characters");
    }
    List<String> earlier = trail.isBlank() ? List.of() : Arrays.asList(trail.split("\\."));
    if (earlier.size() > MAX_TRAIL) {
      errors.put("cursor", "the trail of pages is too long; start from the first page");
    }
    model.addAttribute("actor", actor);
    model.addAttribute("action", action);
    model.addAttribute("from", from);
    model.addAttribute("to", to);
    model.addAttribute("errors", errors);
    Page<AuditEntry> page = null;
    if (errors.isEmpty()) {
      try {
        page = log.list(caller.company(),
            new AuditFilter(null, null, blankToNull(action), blankToNull(actor), fromInstant, toInstant),
            blankToNull(cursor), PAGE);
      } catch (Cursors.InvalidCursorException e) {
        errors.put("cursor", "is not a page of this list; start from the first page");
      }
    }
    if (page == null) {
      response.setStatus(HttpStatus.BAD_REQUEST.value());
      model.addAttribute("entries", List.of());
      return "console/audit-log";
    }
    model.addAttribute("entries", page.items());
    if (page.nextCursor() != null) {
      List<String> next = new ArrayList<>(earlier);
      if (cursor != null && !cursor.isBlank()) {
        next.add(cursor);
      }
      model.addAttribute("nextHref", href(actor, action, from, to, page.nextCursor(), next));
    }
    if (cursor != null && !cursor.isBlank()) {
      List<String> before = earlier.isEmpty() ? List.of() : earlier.subList(0, earlier.size() - 1);
      String previous = earlier.isEmpty() ? null : earlier.get(earlier.size() - 1);
      model.addAttribute("previousHref", href(actor, action, from, to, previous, before));
    }
    return "console/audit-log";
  }

  private static String href(String actor, String action, String from, String to, String cursor, List<String> trail) {
    UriComponentsBuilder uri = UriComponentsBuilder.fromPath(PATH);
    put(uri, "actor", actor);
    put(uri, "action", action);
    put(uri, "from", from);
    put(uri, "to", to);
    put(uri, "cursor", cursor);
    put(uri, "trail", String.join(".", trail));
    return uri.encode().build().toUriString();
  }

  private static void put(UriComponentsBuilder uri, String name, String value) {
    if (value != null && !value.isBlank()) {
      uri.queryParam(name, value);
    }
  }

  /** A UTC date (YYYY-MM-DD) as the instant {@code plusDays} after its start; blank: none. */
  private static Instant day(String text, String field, Map<String, String> errors, int plusDays) {
    if (text.isBlank()) {
      return null;
    }
    try {
      LocalDate date = LocalDate.parse(text.strip());
      if (date.getYear() < 2000 || date.getYear() > 9998) {
        errors.put(field, "must be a date from 2000-01-01 on");
        return null;
      }
      return date.plusDays(plusDays).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      errors.put(field, "must be a date YYYY-MM-DD");
      return null;
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
