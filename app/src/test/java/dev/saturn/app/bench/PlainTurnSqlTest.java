package dev.saturn.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.chat.ChatStoreActivitiesImpl;
import dev.saturn.activities.chat.LlmActivitiesImpl;
import dev.saturn.activities.llm.ChatProvider;
import dev.saturn.app.SaturnApplication;
import dev.saturn.app.bench.TurnModes.DirectTurn;
import dev.saturn.app.bench.TurnModes.Tenant;
import dev.saturn.app.e2e.GuardEverySql;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.e2e.TestApp;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.chat.SessionRepository;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.testing.TestDatabase;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jooq.ExecuteListenerProvider;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The SQL statements of a plain chat turn (no tools, no knowledge base), counted the way the
 * benchmark counts them (a jOOQ listener), as the benchmark's {@code direct} mode runs the turn:
 * turn row, {@code startTurn}, {@code generate}, {@code completeTurn}; and its writing commits
 * (each an fsync on a durable server). Counts, not timings: they only change when the code does.
 * The message lists the statements with a line where each commit happened, so a regression shows
 * what was added.
 */
@Import({GuardEverySql.class, PlainTurnSqlTest.Counting.class})
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlainTurnSqlTest {

  /** docs/benchmarks.md ("Not from the database") names this number. */
  static final int MAX_STATEMENTS_PER_PLAIN_TURN = 13;
  /**
   * Transactions that write, autocommit writes included: each is an fsync of InnoDB's redo log. The
   * turn row, {@code startTurn}, the model call's record (with its {@code step.started} and its
   * provider attempt) and {@code completeTurn}; docs/benchmarks.md names this number too.
   */
  static final int MAX_WRITING_COMMITS_PER_PLAIN_TURN = 4;

  static final String ADMIN = "sql-count-operator-token";
  /** One database for the JVM's lifetime, like the cached application context that uses it (as BootedSaturn). */
  static final TestDatabase DATABASE = TestDatabase.create();

  @LocalServerPort int port;
  @Autowired SqlStatementCounter sql;
  @Autowired AgentRepository agents;
  @Autowired SessionRepository sessions;
  @Autowired TurnRepository turns;
  @Autowired ChatStoreActivitiesImpl store;
  @Autowired LlmActivitiesImpl llm;

  Tenant tenant;

  @TestConfiguration(proxyBeanMethods = false)
  static class Counting {
    @Bean
    SqlStatementCounter sqlStatementCounter() {
      return new SqlStatementCounter();
    }

    @Bean
    ExecuteListenerProvider countSql(SqlStatementCounter counter) {
      return new DefaultExecuteListenerProvider(counter);
    }

    @Bean
    ChatProvider instantChatProvider() {
      return new InstantChatProvider();
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestApp.embeddedDefaults(registry, () -> DATABASE.jdbcUrl(), "sql-count-data", ADMIN);
  }

  @BeforeEach
  void tenant() {
    TestApp.Tenant company = TestApp.newCompany(new HttpJson("http://127.0.0.1:" + port), ADMIN, "sqlcount");
    String config = "{\"provider\":\"" + InstantChatProvider.NAME + "\",\"model\":\"" + InstantChatProvider.MODEL + "\"}";
    AgentRow agent = agents.create(CompanyId.of(company.companyId()), "plain", config, company.ownerId());
    tenant = new Tenant(company.companyId(), company.apiKey(), agent.id(), agent.currentVersion());
  }

  @Test
  void givenPlainAgent_whenATurnRunsDirectly_itShouldRunAtMostThirteenStatementsInFourCommits() {
    DirectTurn direct = new DirectTurn(turns, store, llm);
    // The first turn of an agent version may fill caches; the second is every later turn.
    List<List<String>> perTurn = IntStream.range(0, 2)
        .mapToObj(i -> {
          String sessionId = sessions.create(tenant.company(), tenant.agentId()).id();
          return sql.statementsOf(() -> direct.run(tenant, sessionId));
        })
        .toList();

    for (List<String> listed : perTurn) {
      long statements = listed.stream().filter(line -> !line.equals(SqlStatementCounter.COMMIT)).count();
      long commits = listed.size() - statements;
      assertThat(statements).as("statements of a plain turn:%n%s", numbered(listed))
          .isLessThanOrEqualTo(MAX_STATEMENTS_PER_PLAIN_TURN);
      assertThat(commits).as("writing commits of a plain turn:%n%s", numbered(listed))
          .isLessThanOrEqualTo(MAX_WRITING_COMMITS_PER_PLAIN_TURN);
    }
  }

  static String numbered(List<String> statements) {
    return IntStream.range(0, statements.size())
        .mapToObj(i -> (i + 1) + ". " + statements.get(i))
        .collect(Collectors.joining(System.lineSeparator()));
  }
}
