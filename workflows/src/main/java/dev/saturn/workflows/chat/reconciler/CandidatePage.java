package dev.saturn.workflows.chat.reconciler;

import java.util.List;

/** A batch of candidates, oldest first per company; {@code next} is null when the sweep reached the end. */
public record CandidatePage(List<TurnCandidate> turns, ReconcileCursor next) {}
