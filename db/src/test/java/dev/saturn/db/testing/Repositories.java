package dev.saturn.db.testing;

import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.chat.IdempotencyRepository;
import dev.saturn.db.chat.MessageRepository;
import dev.saturn.db.chat.SessionRepository;
import dev.saturn.db.chat.TurnEventRepository;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnStepReads;
import dev.saturn.db.audit.AuditLogRepository;
import dev.saturn.db.tools.ToolApprovalRepository;
import dev.saturn.db.tools.ToolRepository;
import dev.saturn.db.tools.ToolVersions;
import dev.saturn.db.usage.UsageEventRepository;
import java.time.Clock;
import org.jooq.DSLContext;

/** The repositories a test of chat-turn code needs, wired over one test database as Spring would. */
public record Repositories(
    AgentRepository agents,
    SessionRepository sessions,
    TurnRepository turns,
    MessageRepository messages,
    UsageEventRepository usage,
    IdempotencyRepository idempotency,
    ToolRepository tools,
    ToolApprovalRepository approvals,
    TurnEventRepository events,
    AuditLogRepository audit,
    ToolVersions toolVersions,
    TurnStepReads stepReads) {

  public static Repositories over(DSLContext db, Clock clock) {
    return new Repositories(
        new AgentRepository(db, clock),
        new SessionRepository(db, clock),
        new TurnRepository(db, clock),
        new MessageRepository(db, clock),
        new UsageEventRepository(db, clock),
        new IdempotencyRepository(db, clock),
        new ToolRepository(db, new ToolVersions(db)),
        new ToolApprovalRepository(db, clock),
        new TurnEventRepository(db, clock),
        new AuditLogRepository(db),
        new ToolVersions(db),
        new TurnStepReads(db));
  }
}
