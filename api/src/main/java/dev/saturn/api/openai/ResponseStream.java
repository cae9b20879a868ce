package dev.saturn.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.saturn.api.chat.TurnView;
import dev.saturn.api.chat.TurnViews;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.workflows.common.ErrorCode;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * A turn as Responses API stream events: {@code response.created} and {@code response.in_progress},
 * the answer as {@code response.output_item.added}, {@code response.content_part.added},
 * {@code response.output_text.delta} ... {@code .done} events, then {@code response.completed} (or
 * {@code response.failed}, whose response has status {@code failed} or {@code cancelled}). A turn that
 * starts waiting for an approval adds its {@code function_call} item and the stream ends there; so
 * does a stream past {@code saturn.openai-compat.stream-timeout}; the response is then read with
 * {@code GET /v1/responses/{id}}.
 */
final class ResponseStream implements TurnStreams.Renderer {

  /** Every event names its type, which is also the SSE event name. */
  sealed interface StreamEvent permits ResponseEvent, ItemEvent, PartEvent, TextEvent, ErrorEvent {
    String type();
  }

  record ResponseEvent(String type, int sequenceNumber, ResponseObjects.ResponseObject response)
      implements StreamEvent {}

  record ItemEvent(String type, int sequenceNumber, int outputIndex, Object item) implements StreamEvent {}

  record PartEvent(
      String type, int sequenceNumber, String itemId, int outputIndex, int contentIndex,
      ResponseObjects.ResponseOutputText part)
      implements StreamEvent {}

  /** {@code delta} on a delta event, {@code text} on the done event. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record TextEvent(
      String type, int sequenceNumber, String itemId, int outputIndex, int contentIndex, String delta, String text,
      List<Object> logprobs) implements StreamEvent {}

  record ErrorEvent(String type, int sequenceNumber, String code, String message) implements StreamEvent {}

  private final SseWriter sse;
  private final CompanyId company;
  private final TurnViews views;
  private final Boolean background;
  private final StringBuilder text = new StringBuilder();
  private int sequence;
  private boolean messageOpen;
  private String turnId;

  ResponseStream(SseWriter sse, CompanyId company, TurnViews views, Boolean background) {
    this.sse = sse;
    this.company = company;
    this.views = views;
    this.background = background;
  }

  @Override
  public void started(TurnRow turn) throws IOException {
    turnId = turn.id();
    ResponseObjects.ResponseObject response = ResponseObjects.of(turn, views.of(company, turn), background);
    // The turn may already be over (a repeated Idempotency-Key): it is announced in progress all the same.
    ResponseObjects.ResponseObject announced = new ResponseObjects.ResponseObject(response.id(), response.object(),
        response.createdAt(), null, ResponseObjects.IN_PROGRESS, response.model(), List.of(), null, null,
        response.instructions(), background, false, "auto", List.of(), response.metadata(), response.text(), null,
        response.saturn());
    emit(new ResponseEvent("response.created", sequence++, announced));
    emit(new ResponseEvent("response.in_progress", sequence++, announced));
  }

  @Override
  public void text(String delta) throws IOException {
    if (delta.isEmpty()) {
      return;
    }
    openMessage();
    text.append(delta);
    emit(new TextEvent("response.output_text.delta", sequence++, ResponseObjects.messageId(turnId), 0, 0, delta, null,
        List.of()));
  }

  private void openMessage() throws IOException {
    if (messageOpen) {
      return;
    }
    messageOpen = true;
    emit(new ItemEvent("response.output_item.added", sequence++, 0,
        new ResponseObjects.ResponseMessageItem(
            "message", ResponseObjects.messageId(turnId), ResponseObjects.IN_PROGRESS, "assistant", List.of())));
    emit(new PartEvent("response.content_part.added", sequence++, ResponseObjects.messageId(turnId), 0, 0,
        new ResponseObjects.ResponseOutputText("output_text", "", List.of())));
  }

  @Override
  public void awaitingApproval(TurnRow now) throws IOException {
    TurnView view = views.of(company, now);
    if ("completed".equals(view.status()) || "failed".equals(view.status())) {
      ended(now);
      return;
    }
    ResponseObjects.ResponseObject response = ResponseObjects.of(now, view, background);
    int index = messageOpen ? 1 : 0;
    for (Object item : response.output()) {
      emit(new ItemEvent("response.output_item.added", sequence++, index++, item));
    }
  }

  @Override
  public void ended(TurnRow now) throws IOException {
    TurnView view = views.of(company, now);
    ResponseObjects.ResponseObject response = ResponseObjects.of(now, view, background);
    if (!ResponseObjects.COMPLETED.equals(response.status())) {
      emit(new ResponseEvent("response.failed", sequence++, response));
      return;
    }
    if (text.isEmpty() && view.message() != null) {
      text(view.message().content());
    }
    openMessage();
    String id = ResponseObjects.messageId(turnId);
    String full = text.toString();
    emit(new TextEvent("response.output_text.done", sequence++, id, 0, 0, null, full, List.of()));
    emit(new PartEvent("response.content_part.done", sequence++, id, 0, 0,
        new ResponseObjects.ResponseOutputText("output_text", full, List.of())));
    emit(new ItemEvent("response.output_item.done", sequence++, 0,
        ResponseObjects.message(turnId, full, ResponseObjects.COMPLETED)));
    emit(new ResponseEvent("response.completed", sequence++, response));
  }

  @Override
  public void timedOut(TurnRow now) {
    // Nothing to add: the response goes on, GET /v1/responses/{id} reads it.
  }

  @Override
  public void broken() throws IOException {
    emit(new ErrorEvent("error", sequence++, ErrorCode.INTERNAL_ERROR.name().toLowerCase(Locale.ROOT),
        turnId == null ? "The stream broke" : "The stream broke; read the response with GET /v1/responses/"
            + ResponseObjects.id(turnId)));
  }

  private void emit(StreamEvent event) throws IOException {
    sse.event(event.type(), event);
  }
}
