package dev.saturn.app.contract;

import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the contract suites create for one company through the HTTP API. A new kind of resource
 * with its own id: add a component here, create it in {@link BootedApp#newFixture}, and name it in
 * {@link IdProviders}.
 */
record Fixture(
    String name,
    String apiKey,
    String companyId,
    String ownerUserId,
    String agentId,
    String sessionId,
    String turnId,
    String assistantMessageId,
    String toolId,
    String keyId,
    String auditId,
    String approvalTurnId,
    String callId,
    String invoiceId,
    String documentId,
    String mcpServerId,
    String webhookId,
    String webhookSecret,
    String deliveryId,
    String channelId,
    String channelSecret,
    String providerKey) {

  /** Every id (and the secret) of this company: none may ever appear in another company's answer. */
  Set<String> secretsAndIds() {
    return Stream.of(apiKey, companyId, ownerUserId, agentId, sessionId, turnId, assistantMessageId, toolId, keyId, auditId,
            approvalTurnId, invoiceId, documentId, mcpServerId, webhookId, webhookSecret, deliveryId, channelId, channelSecret,
            providerKey)
        .filter(Objects::nonNull)
        .collect(Collectors.toUnmodifiableSet());
  }
}
