package dev.saturn.db.chat;

import dev.saturn.db.common.CompanyId;

/**
 * Told about each event {@link TurnEventRepository} appends, in this process, once the transaction
 * that wrote it has committed (at once when it ran without one). The fast path of the API's event
 * streams when the worker runs in the same process; other processes find the event in the table.
 * Called on the writer's thread: must return at once and never throw.
 */
public interface TurnEventListener {

  void appended(CompanyId company, TurnEventRow event);
}
