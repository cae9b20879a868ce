package dev.saturn.activities.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.tools.http.HttpToolClient;
import dev.saturn.activities.tools.http.HttpToolExecutor;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.db.tools.ToolSecrets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ToolTestCallsTest {

  static final String PARAMS = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
  static final ToolSecrets SECRETS = ToolSecrets.withKey(Base64.getEncoder().encodeToString(new byte[32]));
  static final CompanyId COMPANY = CompanyId.of("c-test-calls");

  final ToolServer server = ToolServer.start();
  final ToolsProperties properties = new ToolsProperties(Duration.ofHours(1), 4096, 3);

  @AfterEach
  void stop() {
    server.close();
  }

  ToolTestCalls calls(String allowedHosts) {
    return new ToolTestCalls(new ToolExecutors(List.of(new HttpToolExecutor(
        new HttpToolClient(new SsrfGuard(allowedHosts), properties.maxRedirects()), SECRETS))), properties);
  }

  ToolRow weather() {
    Instant now = Instant.now();
    return new ToolRow("t-1", COMPANY.value(), "weather", "Weather", "GET",
        "http://127.0.0.1:" + server.port() + "/weather/{city}", "{}", PARAMS, 2000, true, null, "active", now, now,
        false, ToolRow.HTTP);
  }

  @Test
  void givenValidArguments_whenTestingACall_itShouldRunTheToolOnceAndReturnItsAnswer() {
    server.answering(r -> ToolServer.Answer.json("{\"temp\":21}"));

    ToolTestCalls.Outcome outcome = calls("127.0.0.1:" + server.port()).run(COMPANY, weather(), "{\"city\":\"Paris\"}");

    assertThat(outcome.status()).isEqualTo("ok");
    assertThat(outcome.httpStatus()).isEqualTo(200);
    assertThat(outcome.body()).contains("\"temp\":21");
    assertThat(server.count()).isEqualTo(1);
    assertThat(server.received().get(0).uri()).isEqualTo("/weather/Paris");
  }

  @Test
  void givenArgumentsThatFailTheSchema_whenTestingACall_itShouldSendNothing() {
    ToolTestCalls.Outcome outcome = calls("127.0.0.1:" + server.port()).run(COMPANY, weather(), "{\"city\":5}");

    assertThat(outcome.status()).isEqualTo("invalid");
    assertThat(outcome.failure()).contains("city");
    assertThat(server.count()).isZero();
  }

  @Test
  void givenATargetTheGuardRefuses_whenTestingACall_itShouldBeRefusedBeforeAnyConnection() {
    ToolTestCalls.Outcome outcome = calls("").run(COMPANY, weather(), "{\"city\":\"Paris\"}");

    assertThat(outcome.status()).isEqualTo("refused");
    assertThat(outcome.failure()).isNotBlank();
    assertThat(server.count()).isZero();
  }
}
