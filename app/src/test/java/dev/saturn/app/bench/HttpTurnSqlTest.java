package dev.saturn.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.app.SaturnApplication;
import dev.saturn.app.e2e.GuardEverySql;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.e2e.TestApp;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.chat.SessionRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.testing.TestDatabase;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.ObservationFilterChainDecorator;

/**
 * The SQL statements {@code POST /v1/agents/{id}/chat} runs on its request thread (the turn's own
 * steps run on the worker's threads), as the benchmark's {@code http} mode sends it: an API key used
 * a moment ago, an existing session, no {@code Idempotency-Key}. Asserted by what they touch, not by
 * a count, because the wait's safety net may add reads of the turn and its approvals on a slow
 * machine. The message lists the statements.
 */
@Import({GuardEverySql.class, PlainTurnSqlTest.Counting.class, HttpTurnSqlTest.Recording.class})
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HttpTurnSqlTest {

  static final String ADMIN = "http-sql-operator-token";
  static final TestDatabase DATABASE = TestDatabase.create();
  /** The statements of each chat request, in order. */
  static final List<List<String>> CHAT_REQUESTS = new CopyOnWriteArrayList<>();

  @LocalServerPort int port;
  @Autowired AgentRepository agents;
  @Autowired SessionRepository sessions;
  @Autowired ApplicationContext context;

  /** PlainTurnSqlTest's counter and instant model, plus this. */
  @TestConfiguration(proxyBeanMethods = false)
  static class Recording {
    /** Before every other filter, so authentication is inside what it records. */
    @Bean
    FilterRegistrationBean<Filter> recordChatStatements(SqlStatementCounter sql) {
      Filter filter = (request, response, chain) -> {
        if (!((HttpServletRequest) request).getRequestURI().endsWith("/chat")) {
          chain.doFilter(request, response);
          return;
        }
        CHAT_REQUESTS.add(sql.statementsOf(() -> {
          try {
            chain.doFilter(request, response);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (jakarta.servlet.ServletException e) {
            throw new IllegalStateException(e);
          }
        }));
      };
      FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
      return registration;
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestApp.embeddedDefaults(registry, () -> DATABASE.jdbcUrl(), "http-sql-data", ADMIN);
    // As in production (5 s each), but long enough that a slow machine cannot outlast them between two requests.
    registry.add("saturn.billing.quota-cache-ttl", () -> "60s");
    registry.add("saturn.auth.api-key-cache-ttl", () -> "60s");
  }

  @Test
  void givenKeyUsedAMomentAgo_whenAChatRequestRuns_itShouldReadTheAgentWithTheSessionAndTheAnswerOnceEach() {
    HttpJson http = new HttpJson("http://127.0.0.1:" + port);
    TestApp.Tenant company = TestApp.newCompany(http, ADMIN, "httpsql");
    String config = "{\"provider\":\"" + InstantChatProvider.NAME + "\",\"model\":\"" + InstantChatProvider.MODEL + "\"}";
    AgentRow agent = agents.create(CompanyId.of(company.companyId()), "plain", config, company.ownerId());
    String sessionId = sessions.create(CompanyId.of(company.companyId()), agent.id()).id();
    CHAT_REQUESTS.clear();

    for (int i = 0; i < 2; i++) {
      HttpJson.Response answer = http.post("/v1/agents/" + agent.id() + "/chat", company.apiKey(),
          Map.of("message", "hello", "session_id", sessionId));
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body().path("message").path("content").asText()).isEqualTo(InstantChatProvider.REPLY);
      assertThat(answer.body().path("usage").path("input_tokens").asLong()).isPositive();
    }

    assertThat(CHAT_REQUESTS).hasSize(2);
    List<String> second = CHAT_REQUESTS.get(1);
    String listed = PlainTurnSqlTest.numbered(second);
    // The key was verified by the first request: no key, owner or company read, no last-used write.
    assertThat(touching(second, "api_keys")).as(listed).isZero();
    assertThat(touching(second, "users")).as(listed).isZero();
    assertThat(touching(second, "companies")).as(listed).isZero();
    // The agent with the session: one read; the turn row: one insert; the answer with its usage: one read.
    assertThat(touching(second, "agents")).as(listed).isEqualTo(1);
    assertThat(touching(second, "sessions")).as(listed).isEqualTo(1);
    assertThat(second.stream().filter(s -> s.toLowerCase(Locale.ROOT).startsWith("insert")).count()).as(listed).isEqualTo(1);
    assertThat(touching(second, "usage_events")).as(listed).isEqualTo(1);
    assertThat(touching(second, "messages")).as(listed).isEqualTo(1);
    assertThat(touching(second, "idempotency")).as(listed).isZero();
  }

  /**
   * What else the request pays for besides SQL: no filter of the security chain runs inside an
   * observation (Spring Security's observations are off at the source, not only filtered out), and
   * the chat handler is called directly, not through a method-validation proxy (its body is validated
   * by MVC once).
   */
  @Test
  void givenTheApiChain_whenBuilt_noSecurityObservationShouldWrapItsFiltersAndTheChatHandlerShouldNotBeProxied() {
    Object chain = context.getBean("springSecurityFilterChain");
    Object proxy = chain.getClass() == FilterChainProxy.class ? chain : ReflectionTestUtils.getField(chain, "springSecurityFilterChain");
    assertThat(proxy).isInstanceOf(FilterChainProxy.class);
    assertThat(ReflectionTestUtils.getField(proxy, "filterChainDecorator")).isNotInstanceOf(ObservationFilterChainDecorator.class);
    assertThat(AopUtils.isAopProxy(context.getBean("chatController"))).isFalse();
  }

  private static long touching(List<String> statements, String table) {
    return statements.stream().filter(s -> s.toLowerCase(Locale.ROOT).matches("(?s).*[`\\s.]" + table + "`?[\\s.].*")).count();
  }
}
