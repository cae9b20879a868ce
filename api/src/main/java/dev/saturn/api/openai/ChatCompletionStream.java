package dev.saturn.api.openai;

import dev.saturn.api.chat.TurnView;
import dev.saturn.api.chat.TurnViews;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.workflows.common.ErrorCode;
import java.io.IOException;

/**
 * A turn as {@code chat.completion.chunk} events: a first chunk with the assistant role, the text as
 * it comes, a last chunk with the finish reason ({@code stop}, or {@code awaiting_approval} /
 * {@code in_progress} with the {@code saturn} member, as the non-streamed answer), with
 * {@code include_usage} a chunk with no choices and the turn's usage, then {@code data: [DONE]}. A
 * failed turn ends with an OpenAI error object as the data, which OpenAI clients raise.
 */
final class ChatCompletionStream implements TurnStreams.Renderer {

  private final SseWriter sse;
  private final CompanyId company;
  private final TurnViews views;
  private final boolean includeUsage;
  private TurnRow turn;
  private boolean textSent;

  ChatCompletionStream(SseWriter sse, CompanyId company, TurnViews views, boolean includeUsage) {
    this.sse = sse;
    this.company = company;
    this.views = views;
    this.includeUsage = includeUsage;
  }

  @Override
  public void started(TurnRow turn) throws IOException {
    this.turn = turn;
    sse.data(ChatCompletions.chunk(turn, new ChatCompletions.ChatCompletionDelta("assistant", ""), null, null));
  }

  @Override
  public void text(String delta) throws IOException {
    if (!delta.isEmpty()) {
      textSent = true;
      sse.data(ChatCompletions.chunk(turn, new ChatCompletions.ChatCompletionDelta(null, delta), null, null));
    }
  }

  @Override
  public void awaitingApproval(TurnRow now) throws IOException {
    finishWaiting(now, ChatCompletions.AWAITING_APPROVAL);
  }

  @Override
  public void timedOut(TurnRow now) throws IOException {
    finishWaiting(now, ChatCompletions.IN_PROGRESS);
  }

  private void finishWaiting(TurnRow now, String reason) throws IOException {
    TurnView view = views.of(company, now);
    if ("completed".equals(view.status()) || "failed".equals(view.status())) {
      ended(now);
      return;
    }
    sse.data(ChatCompletions.chunk(now, ChatCompletions.ChatCompletionDelta.NONE, reason, TurnExtension.of(view)));
    sse.done();
  }

  @Override
  public void ended(TurnRow now) throws IOException {
    TurnView view = views.of(company, now);
    try {
      ChatCompletions.failIfFailed(view);
    } catch (ApiException failed) {
      sse.data(OpenAiError.of(failed.code(), failed.detail()));
      sse.done();
      return;
    }
    if (!textSent && view.message() != null) {
      text(view.message().content());
    }
    sse.data(ChatCompletions.chunk(now, ChatCompletions.ChatCompletionDelta.NONE, ChatCompletions.STOP, TurnExtension.of(view)));
    if (includeUsage) {
      sse.data(ChatCompletions.usageChunk(now, view.usage()));
    }
    sse.done();
  }

  @Override
  public void broken() throws IOException {
    sse.data(OpenAiError.of(ErrorCode.INTERNAL_ERROR,
        turn == null ? "The stream broke" : "The stream broke; read the turn with GET /v1/turns/" + turn.id()));
    sse.done();
  }
}
