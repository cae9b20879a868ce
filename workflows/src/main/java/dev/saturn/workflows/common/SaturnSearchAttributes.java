package dev.saturn.workflows.common;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SATURN's search attributes: what an operator filters on in the Temporal UI and with {@code
 * temporal workflow list --query}. Every workflow start, from a client or as a child, sets
 * {@code setTypedSearchAttributes} with one of the factories below, next to its id from
 * {@link WorkflowIds}; a new workflow type picks the factory of the scope it runs in. They hold
 * ids only: search attributes are stored and indexed in plain text (the payload codec never sees
 * them).
 *
 * <p>Workflows without a company (the billing run, the monthly trigger, the turn reconciler) carry
 * none: their fixed ids and Temporal's own {@code WorkflowType} find them.
 */
public final class SaturnSearchAttributes {

  public static final SearchAttributeKey<String> COMPANY_ID = SearchAttributeKey.forKeyword("SaturnCompanyId");
  public static final SearchAttributeKey<String> AGENT_ID = SearchAttributeKey.forKeyword("SaturnAgentId");
  public static final SearchAttributeKey<String> SESSION_ID = SearchAttributeKey.forKeyword("SaturnSessionId");
  public static final SearchAttributeKey<String> TURN_ID = SearchAttributeKey.forKeyword("SaturnTurnId");

  /**
   * Set by a chat turn while a tool call waits for a person: when the oldest call still waiting was
   * requested; unset when none waits. Upserted by the workflow itself (not at start).
   */
  public static final SearchAttributeKey<OffsetDateTime> AWAITING_APPROVAL_SINCE =
      SearchAttributeKey.forOffsetDateTime("SaturnAwaitingApprovalSince");

  /** Every key SATURN uses: what a server must have registered before the first workflow starts. */
  public static final List<SearchAttributeKey<?>> ALL =
      List.of(COMPANY_ID, AGENT_ID, SESSION_ID, TURN_ID, AWAITING_APPROVAL_SINCE);

  private SaturnSearchAttributes() {}

  /** Name → type of every key, as the Temporal operator API registers them. */
  public static Map<String, IndexedValueType> definitions() {
    Map<String, IndexedValueType> definitions = new LinkedHashMap<>();
    for (SearchAttributeKey<?> key : ALL) {
      definitions.put(key.getName(), key.getValueType());
    }
    return Collections.unmodifiableMap(definitions);
  }

  /** A chat turn ({@code ChatTurnWorkflow}). */
  public static SearchAttributes chatTurn(String companyId, String agentId, String sessionId, String turnId) {
    return SearchAttributes.newBuilder()
        .set(COMPANY_ID, companyId)
        .set(AGENT_ID, agentId)
        .set(SESSION_ID, sessionId)
        .set(TURN_ID, turnId)
        .build();
  }

  /** Work of one agent of a company (knowledge-base indexing and deletion). */
  public static SearchAttributes agent(String companyId, String agentId) {
    return SearchAttributes.newBuilder().set(COMPANY_ID, companyId).set(AGENT_ID, agentId).build();
  }

  /** Work of one company that belongs to no agent (its invoice draft). */
  public static SearchAttributes company(String companyId) {
    return SearchAttributes.newBuilder().set(COMPANY_ID, companyId).build();
  }

  /** The value of {@link #AWAITING_APPROVAL_SINCE} for a wait that started at {@code epochMillis}. */
  public static OffsetDateTime since(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
  }
}
