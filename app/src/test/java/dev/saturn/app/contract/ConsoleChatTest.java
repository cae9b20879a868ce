package dev.saturn.app.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.app.e2e.ConsoleBrowser;
import dev.saturn.app.e2e.HttpJson;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's Chat and Approvals pages over HTTP, on the contract fixture (whose second turn waits for
 * a person's decision on a tool call): the role rules of the API (CHAT, APPROVALS_DECIDE), one company
 * never reaching another's turns, sessions or approvals, and bad input answered with a page or a notice,
 * never a server error.
 */
class ConsoleChatTest extends BootedApp {

  static final String PASSWORD = "console chat password 1";

  /** A user of the fixture's company with a password, signed in to the console. */
  ConsoleBrowser signedIn(Fixture fixture, String role) throws Exception {
    String email = role + "@" + fixture.name() + ".test";
    HttpJson.Response user = http().post("/v1/users", fixture.apiKey(), Map.of("email", email, "role", role, "password", PASSWORD));
    assertThat(user.status()).as(user.body().toString()).isEqualTo(201);
    ConsoleBrowser browser = new ConsoleBrowser(port);
    assertThat(browser.signIn(email, PASSWORD).statusCode()).isEqualTo(302);
    return browser;
  }

  /** The Chat page of the fixture's waiting turn. */
  String waitingTurnPage(Fixture fixture) {
    HttpJson.Response turn = http().get("/v1/turns/" + fixture.approvalTurnId(), fixture.apiKey());
    return "/console/chat?agent=" + turn.text("agent_id") + "&session=" + turn.text("session_id") + "&turn="
        + fixture.approvalTurnId();
  }

  List<String> pendingCalls(Fixture fixture) {
    return http().get("/v1/approvals", fixture.apiKey()).body().path("items").findValuesAsText("call_id");
  }

  @Test
  void givenAViewer_whenOpeningAWaitingTurn_itShouldSeeTheWaitWithoutButtonsAndBeRefusedApprovalsAndDecisions() throws Exception {
    Fixture fixture = newFixture("consolechatviewer");
    ConsoleBrowser viewer = signedIn(fixture, "viewer");

    HttpResponse<String> chat = viewer.get(waitingTurnPage(fixture));
    assertThat(chat.statusCode()).isEqualTo(200);
    assertThat(chat.body()).contains("<strong>guarded</strong> waits for approval.", "Someone allowed to decide approvals")
        .doesNotContain(">Approve<", ">Deny<");
    assertThat(viewer.get("/console/approvals").statusCode()).isEqualTo(403);
    String csrf = viewer.csrf("/console/chat");
    HttpResponse<String> decided = viewer.post("/console/turns/" + fixture.approvalTurnId() + "/approvals/" + fixture.callId(),
        Map.of("_csrf", csrf, "decision", "approve"));
    assertThat(decided.statusCode()).isEqualTo(403);
    assertThat(pendingCalls(fixture)).containsExactly(fixture.callId());
  }

  @Test
  void givenADeveloper_whenDecidingOnTheApprovalsPage_itShouldTakeTheDecisionAuditItAndSayWhenItIsTakenAlready() throws Exception {
    Fixture fixture = newFixture("consolechatdecide");
    ConsoleBrowser developer = signedIn(fixture, "developer");
    assertThat(developer.get(waitingTurnPage(fixture)).body()).contains(">Approve<", ">Deny<");
    HttpResponse<String> list = developer.get("/console/approvals");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("consolechatdecide tool bot", "<td>guarded</td>", "approval-" + fixture.callId());
    String decide = "/console/turns/" + fixture.approvalTurnId() + "/approvals/" + fixture.callId();

    HttpResponse<String> denied = developer.post(decide, Map.of("_csrf", developer.csrf("/console/approvals"), "decision", "deny"));

    assertThat(denied.statusCode()).isEqualTo(302);
    assertThat(denied.headers().firstValue("Location").orElseThrow()).endsWith("/console/approvals");
    assertThat(developer.get("/console/approvals").body()).contains("was denied.", "No tool calls are waiting");
    assertThat(pendingCalls(fixture)).isEmpty();
    assertThat(sql().fetchCount(sql().selectFrom(org.jooq.impl.DSL.table("audit_logs")).where(
        org.jooq.impl.DSL.field("company_id").eq(fixture.companyId()), org.jooq.impl.DSL.field("action").eq("tool_call.deny"))))
        .as("audited as the API does").isEqualTo(1);
    HttpResponse<String> again = developer.post(decide, Map.of("_csrf", developer.csrf("/console/approvals"), "decision", "approve"));
    assertThat(again.statusCode()).isEqualTo(302);
    assertThat(developer.get("/console/approvals").body()).contains("already decided");
  }

  @Test
  void givenAnotherCompany_whenReachingForATurnSessionOrApprovalByItsId_itShouldFindNothingAndChangeNothing() throws Exception {
    Fixture a = newFixture("consolechatisoa");
    Fixture b = newFixture("consolechatisob");
    ConsoleBrowser other = signedIn(b, "admin");

    assertThat(other.get("/console/turns/" + a.turnId() + "/events", "text/event-stream").statusCode()).isEqualTo(404);
    HttpResponse<String> decided = other.post("/console/turns/" + a.approvalTurnId() + "/approvals/" + a.callId(),
        Map.of("_csrf", other.csrf("/console/chat"), "decision", "approve", "back", "chat"));
    assertThat(decided.headers().firstValue("Location").orElseThrow()).endsWith("/console/approvals");
    assertThat(other.get("/console/approvals").body()).contains("There is no such tool call");
    assertThat(pendingCalls(a)).containsExactly(a.callId());
    assertThat(other.get("/console/chat?agent=" + b.agentId() + "&session=" + a.sessionId()).statusCode()).isEqualTo(404);
    HttpResponse<String> foreignAgent = other.get("/console/chat?agent=" + a.agentId());
    assertThat(foreignAgent.statusCode()).isEqualTo(200);
    assertThat(foreignAgent.body()).contains("is not among the company&#39;s enabled agents").doesNotContain(a.agentId(), "consolechatisoa");
    Map<String, String> send = new LinkedHashMap<>(Map.of("_csrf", other.csrf("/console/chat"), "agent", a.agentId(),
        "message", "hello"));
    assertThat(other.post("/console/chat", send).statusCode()).isEqualTo(404);
  }

  @Test
  void givenAMessage_whenSentWithoutScript_itShouldWaitRedirectToTheTurnAndShowTheAnswerAndADoubleSubmitStartsOneTurn()
      throws Exception {
    Fixture fixture = newFixture("consolechatsend");
    ConsoleBrowser developer = signedIn(fixture, "developer");
    Map<String, String> form = new LinkedHashMap<>();
    form.put("_csrf", developer.csrf("/console/chat?agent=" + fixture.agentId()));
    form.put("agent", fixture.agentId());
    form.put("key", "console-form-1");
    form.put("message", "What is the console?");

    HttpResponse<String> sent = developer.post("/console/chat", form);
    HttpResponse<String> twice = developer.post("/console/chat", form);

    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(302);
    String location = sent.headers().firstValue("Location").orElseThrow();
    assertThat(twice.headers().firstValue("Location").orElseThrow()).isEqualTo(location);
    String page = developer.get(location.substring(location.indexOf("/console"))).body();
    assertThat(page).contains("What is the console?", "This is SATURN&#39;s offline provider").doesNotContain("data-events");
    String turnId = location.substring(location.indexOf("turn=") + 5);
    HttpResponse<String> events = developer.get("/console/turns/" + turnId + "/events", "text/event-stream");
    assertThat(events.statusCode()).isEqualTo(200);
    assertThat(events.body()).contains("event:message.delta", "event:turn.completed");
  }

  @Test
  void givenBadInput_whenSendingOrDeciding_itShouldAnswerWithAPageOrANoticeNeverAServerError() throws Exception {
    Fixture fixture = newFixture("consolechatbad");
    ConsoleBrowser developer = signedIn(fixture, "developer");
    String csrf = developer.csrf("/console/chat");

    HttpResponse<String> blank = developer.post("/console/chat", Map.of("_csrf", csrf, "agent", fixture.agentId(), "message", " "));
    assertThat(blank.statusCode()).isEqualTo(400);
    assertThat(blank.body()).contains("aria-invalid=\"true\"", "chat-message-error", "Write a message first.");
    HttpResponse<String> badKey = developer.post("/console/chat",
        Map.of("_csrf", csrf, "agent", fixture.agentId(), "message", "hi", "key", "not a key!"));
    assertThat(badKey.statusCode()).isEqualTo(400);
    assertThat(badKey.body()).contains("chat-message-error");
    assertThat(developer.post("/console/chat", Map.of("_csrf", csrf, "message", "hi")).statusCode()).isEqualTo(404);
    HttpResponse<String> maybe = developer.post("/console/turns/" + fixture.approvalTurnId() + "/approvals/" + fixture.callId(),
        Map.of("_csrf", csrf, "decision", "maybe"));
    assertThat(maybe.statusCode()).isEqualTo(302);
    assertThat(developer.get("/console/approvals").body()).contains("Choose Approve or Deny.");
    assertThat(pendingCalls(fixture)).containsExactly(fixture.callId());
    HttpResponse<String> longCall = developer.post("/console/turns/" + fixture.approvalTurnId() + "/approvals/" + "c".repeat(300),
        Map.of("_csrf", csrf, "decision", "deny"));
    assertThat(longCall.statusCode()).isEqualTo(302);
    assertThat(developer.get("/console/turns/" + "x".repeat(300) + "/events", "text/event-stream").statusCode()).isEqualTo(404);
    assertThat(developer.get("/console/chat?agent=" + fixture.agentId() + "&session=nope").statusCode()).isEqualTo(404);
  }
}
