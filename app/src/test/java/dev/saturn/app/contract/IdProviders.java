package dev.saturn.app.contract;

import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * How the contract suites fill each path variable of a /v1 endpoint for a given company. An
 * endpoint with a variable that is not here fails the suites with "add an id provider for
 * {name} used by {METHOD path}": add one line (and, for a new kind of resource, create it in
 * {@link BootedApp#newFixture}).
 */
final class IdProviders {

  static final Map<String, Function<Fixture, String>> BY_VARIABLE = Map.ofEntries(
      Map.entry("agentId", Fixture::agentId),
      // The console's not-yet-built sections (/console/{section}).
      Map.entry("section", fixture -> "chat"),
      Map.entry("sessionId", Fixture::sessionId),
      Map.entry("turnId", Fixture::turnId),
      Map.entry("toolId", Fixture::toolId),
      Map.entry("keyId", Fixture::keyId),
      Map.entry("userId", Fixture::ownerUserId),
      Map.entry("auditId", Fixture::auditId),
      Map.entry("documentId", Fixture::documentId),
      // The call the fixture's second turn waits on (under its own turn id, not turnId's).
      Map.entry("callId", Fixture::callId),
      Map.entry("invoiceId", Fixture::invoiceId),
      // The OpenAI-compatible API's names: a response is a turn, a model an agent.
      Map.entry("responseId", f -> "resp_" + f.turnId()),
      Map.entry("model", Fixture::agentId),
      Map.entry("serverId", Fixture::mcpServerId),
      Map.entry("webhookId", Fixture::webhookId),
      // The delivery of the fixture's first turn.completed event to its webhook.
      Map.entry("deliveryId", Fixture::deliveryId),
      Map.entry("channelId", Fixture::channelId),
      Map.entry("companyId", Fixture::companyId),
      // Plans are platform-wide; the seeded default plan every fixture company is on.
      Map.entry("planId", f -> "default"),
      Map.entry("version", f -> "1"),
      Map.entry("provider", f -> "ollama"));

  /**
   * Variables that name something within the caller's own company (a provider's settings), not a
   * row that belongs to one company: another company's value is the caller's own name too.
   */
  static final java.util.Set<String> OWN_NAMES = java.util.Set.of("provider");

  private IdProviders() {}

  /** A value of the same kind that names nothing: a random UUID, or a number no one reaches. */
  static String missingLike(String value) {
    return value.chars().allMatch(Character::isDigit) ? "999999" : UUID.randomUUID().toString();
  }
}
