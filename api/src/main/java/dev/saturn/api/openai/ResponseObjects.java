package dev.saturn.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.saturn.api.chat.TurnView;
import dev.saturn.api.chat.TurnViews;
import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.FieldError;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.workflows.common.ErrorCode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * A turn as an OpenAI {@code response}: the id is {@code resp_<turn id>}, {@code status}
 * {@code in_progress} while it runs (also while it waits for an approval: the pending call is then in
 * {@code output} as a {@code function_call} item with a {@code saturn} marker), {@code completed},
 * {@code failed}, or {@code cancelled} for a turn failed {@code TURN_CANCELLED}.
 */
@Component
class ResponseObjects {

  static final String COMPLETED = "completed";
  static final String IN_PROGRESS = "in_progress";
  static final String FAILED = "failed";
  static final String CANCELLED = "cancelled";

  @JsonInclude(JsonInclude.Include.ALWAYS)
  record ResponseObject(
      String id, String object, long createdAt, Long completedAt, String status, String model, List<Object> output,
      ResponseError error, Object incompleteDetails, String instructions, Boolean background,
      boolean parallelToolCalls, String toolChoice, List<Object> tools, Map<String, String> metadata, ResponseText text,
      ResponseUsage usage, TurnExtension saturn) {}

  record ResponseError(String code, String message) {}

  record ResponseText(ResponseTextFormat format) {}

  record ResponseTextFormat(String type) {}

  record ResponseUsage(
      long inputTokens, ResponseInputTokensDetails inputTokensDetails, long outputTokens,
      ResponseOutputTokensDetails outputTokensDetails,
      long totalTokens) {}

  record ResponseInputTokensDetails(long cachedTokens) {}

  record ResponseOutputTokensDetails(long reasoningTokens) {}

  record ResponseMessageItem(String type, String id, String status, String role, List<ResponseOutputText> content) {}

  record ResponseOutputText(String type, String text, List<Object> annotations) {}

  /** A tool call the turn waits on a person for; {@code saturn} says so and where to decide it. */
  record ResponseFunctionCallItem(
      String type, String id, String callId, String name, String arguments, String status,
      ResponseApprovalMarker saturn) {}

  record ResponseApprovalMarker(boolean awaitingApproval, String turnId, Instant expiresAt, String decide) {}

  private final TurnRepository turns;
  private final TurnViews views;

  ResponseObjects(TurnRepository turns, TurnViews views) {
    this.turns = turns;
    this.views = views;
  }

  static String id(String turnId) {
    return TurnExtension.RESPONSE_PREFIX + turnId;
  }

  /** The turn behind a response id of this company. @throws ApiException 404 for any other id */
  TurnRow turnOf(CompanyId company, String responseId, String param) {
    String turnId = responseId != null && responseId.startsWith(TurnExtension.RESPONSE_PREFIX)
        ? responseId.substring(TurnExtension.RESPONSE_PREFIX.length())
        : null;
    Optional<TurnRow> turn = turnId == null || turnId.length() > 36 ? Optional.empty() : turns.find(company, turnId);
    return turn.orElseThrow(() -> param == null
        ? ApiException.notFound("response " + responseId)
        : new ApiException(ErrorCode.NOT_FOUND, "response " + responseId + " not found",
            List.of(new FieldError(param, "is not a response of this company"))));
  }

  /** The message item's id: one answer per turn, so it is known before the answer is. */
  static String messageId(String turnId) {
    return "msg_" + turnId;
  }

  ResponseObject of(CompanyId company, TurnRow turn, Boolean background) {
    return of(turn, views.of(company, turn), background);
  }

  static ResponseObject of(TurnRow turn, TurnView view, Boolean background) {
    String status;
    List<Object> output = List.of();
    ResponseError error = null;
    ResponseUsage usage = null;
    switch (view.status()) {
      case "completed" -> {
        status = COMPLETED;
        output = List.of(message(turn.id(), view.message() == null ? "" : view.message().content(), COMPLETED));
        usage = usage(view.usage());
      }
      case "failed" -> {
        String code = view.error() == null ? ErrorCode.INTERNAL_ERROR.name() : view.error().code();
        status = ErrorCode.TURN_CANCELLED.name().equals(code) ? CANCELLED : FAILED;
        error = new ResponseError(code.toLowerCase(Locale.ROOT), view.error() == null ? null : view.error().message());
      }
      default -> {
        status = IN_PROGRESS;
        if (view.pendingApprovals() != null) {
          output = view.pendingApprovals().stream().map(p -> (Object) functionCall(turn.id(), p)).toList();
        }
      }
    }
    return new ResponseObject(id(turn.id()), "response", turn.createdAt().getEpochSecond(),
        turn.completedAt() == null ? null : turn.completedAt().getEpochSecond(), status, turn.agentId(), output, error,
        null, turn.instructions(), background, false, "auto", List.of(), Map.of(),
        new ResponseText(new ResponseTextFormat("text")), usage, TurnExtension.of(view));
  }

  static ResponseMessageItem message(String turnId, String text, String status) {
    return new ResponseMessageItem("message", messageId(turnId), status, "assistant",
        List.of(new ResponseOutputText("output_text", text, List.of())));
  }

  static ResponseFunctionCallItem functionCall(String turnId, TurnView.PendingApproval pending) {
    return new ResponseFunctionCallItem("function_call", "fc_" + pending.callId(), pending.callId(), pending.tool(),
        pending.arguments() == null ? "{}" : pending.arguments().toString(), IN_PROGRESS,
        new ResponseApprovalMarker(true, turnId, pending.expiresAt(),
            "POST /v1/turns/" + turnId + "/approvals/" + pending.callId()));
  }

  static ResponseUsage usage(TurnView.Usage usage) {
    return usage == null ? null : new ResponseUsage(
        usage.inputTokens(), new ResponseInputTokensDetails(0), usage.outputTokens(),
        new ResponseOutputTokensDetails(0), usage.inputTokens() + usage.outputTokens());
  }
}
