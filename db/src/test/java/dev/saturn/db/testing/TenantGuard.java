package dev.saturn.db.testing;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteListenerProvider;
import org.jooq.impl.DefaultExecuteListenerProvider;

/**
 * Fails any SQL statement on a tenant table that does not constrain {@code company_id}: a SELECT,
 * UPDATE or DELETE needs a company_id predicate, an INSERT a company_id column. It also fails any
 * UPDATE or DELETE that touches the append-only metering tables. Installed on every
 * DSLContext the tests use, so a repository method that forgets the tenant breaks the build.
 */
public final class TenantGuard implements ExecuteListener {

  /** Tables that hold no tenant data. {@code companies} is the tenant itself and keyed by its id. */
  private static final Set<String> NOT_TENANT_TABLES = Set.of("plans", "flyway_schema_history");

  /** Metering tables: rows are only ever inserted (corrections are new rows). */
  private static final Set<String> APPEND_ONLY_TABLES = Set.of("usage_events", "provider_attempts");

  /** Authentication looks a key up by its public prefix before the tenant is known. */
  private static final Pattern AUTH_KEY_LOOKUP =
      Pattern.compile("^select .* from `?api_keys`? where `?api_keys`?\\.`?prefix`? = \\?$");

  /** An inbound channel message finds its channel by id; its signature, checked with that channel's secret, is its credential. */
  private static final Pattern INBOUND_CHANNEL_LOOKUP =
      Pattern.compile("^select .* from `?channels`? where `?channels`?\\.`?id`? = \\?$");
  /** The operator's catalogue of companies ({@code CompanyRepository.list}): company rows only, no tenant data. */
  private static final Pattern OPERATOR_COMPANY_LIST = Pattern.compile(
      "^select (?:`?companies`?\\.`?\\w+`?(?:, )?)+ from `?companies`?(?: where `?companies`?\\.`?id`? > \\?)?"
          + " order by `?companies`?\\.`?id`?(?: asc)? (?:limit \\?|fetch next \\? rows only)$");

  /**
   * The console's sign-in ({@code UserRepository.companiesOfEmail}), before the tenant is known: the ids
   * and names of the companies in which an email has a user, nothing else of theirs. The one statement
   * allowed to join users to companies without a company bound; any other shape of it is refused.
   */
  private static final Pattern EMAIL_SIGN_IN_LOOKUP = Pattern.compile(
      "^select `?users`?\\.`?company_id`?, `?companies`?\\.`?name`? from `?users`?"
          + " join `?companies`? on `?companies`?\\.`?id`? = `?users`?\\.`?company_id`?"
          + " where `?users`?\\.`?email`? = \\?"
          + " order by `?companies`?\\.`?name`?(?: asc)?, `?users`?\\.`?company_id`?(?: asc)?"
          + " (?:limit \\?|fetch next \\? rows only)$");

  /**
   * Tables of people and their credentials. A join's equality between two tables' company columns
   * constrains each to the other, not to a tenant; a statement on one of these needs a company bound
   * to a value ({@link #BOUND_TENANT}) as well, or to be one of the named exceptions above.
   */
  private static final Set<String> PEOPLE_TABLES = Set.of("users", "memberships", "api_keys", "password_resets");

  /** A tenant column bound to a value (a parameter or a literal). */
  private static final Pattern BOUND_TENANT = Pattern.compile(
      "(?:company_id|`?companies`?\\.`?id)`? (?:= (?:\\?|'|\\d)|in \\()|(?:\\?|') = (?:`?\\w+`?\\.)?`?company_id");

  private static final Pattern TABLE_REF =
      Pattern.compile("\\b(?:from|join|into|update)\\s+(?:`?\\w+`?\\.)?`?(\\w+)`?");

  public static ExecuteListenerProvider provider() {
    return new DefaultExecuteListenerProvider(new TenantGuard());
  }

  @Override
  public void executeStart(ExecuteContext ctx) {
    String sql = ctx.sql();
    if (sql != null) {
      check(sql);
    }
  }

  /** @throws AssertionError when the statement touches a tenant table without the tenant. */
  public static void check(String sql) {
    String s = sql.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
    if (AUTH_KEY_LOOKUP.matcher(s).matches() || INBOUND_CHANNEL_LOOKUP.matcher(s).matches()
        || OPERATOR_COMPANY_LIST.matcher(s).matches() || EMAIL_SIGN_IN_LOOKUP.matcher(s).matches()) {
      return;
    }
    Matcher m = TABLE_REF.matcher(s);
    boolean changesRows = s.startsWith("update") || s.startsWith("delete");
    boolean peopleTable = false;
    while (m.find()) {
      String table = m.group(1);
      if (changesRows && APPEND_ONLY_TABLES.contains(table)) {
        throw new AssertionError("append-only guard: `" + table + "` is never updated or deleted: " + sql);
      }
      if (NOT_TENANT_TABLES.contains(table) || table.equals("select")) {
        continue;
      }
      String tenantColumn = table.equals("companies") ? "id" : "company_id";
      if (!constrains(s, table, tenantColumn)) {
        throw new AssertionError("tenant guard: statement on `" + table + "` without " + tenantColumn + ": " + sql);
      }
      peopleTable |= PEOPLE_TABLES.contains(table);
    }
    if (peopleTable && !s.startsWith("insert") && !BOUND_TENANT.matcher(s).find()) {
      throw new AssertionError("tenant guard: tenant columns only joined to each other, no company bound: " + sql);
    }
  }

  private static boolean constrains(String s, String table, String column) {
    if (s.startsWith("insert")) {
      int values = s.indexOf(" values");
      String columns = values > 0 ? s.substring(0, values) : s;
      return columns.contains("`" + column + "`");
    }
    // An equality on the tenant column, in WHERE or in a join's ON clause; unqualified only in
    // hand-written single-table SQL (a join would make it ambiguous and the server would refuse it).
    Pattern equality = Pattern.compile(
        "(?:`?" + table + "`?\\.|[\\s(])`?" + column + "`? = |= (?:`?" + table + "`?\\.)`?" + column + "\\b");
    return equality.matcher(s).find();
  }
}
