package dev.saturn.db.tools;

import static dev.saturn.db.jooq.Tables.AGENT_TOOLS;
import static dev.saturn.db.jooq.Tables.TOOLS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Cursors;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.JSON;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

/** Tool definitions of one company. Names are unique per company ({@code uq_tools_company_name}). */
@Repository
public class ToolRepository {

  private final DSLContext db;
  private final ToolVersions versions;

  public ToolRepository(DSLContext db, ToolVersions versions) {
    this.db = db;
    this.versions = versions;
  }

  /** @return false when the company already has a tool of that name */
  public boolean insert(CompanyId company, ToolRow tool) {
    requireCompany(company, tool);
    return DuplicateKeys.insertOnce(() -> db.insertInto(TOOLS)
        .set(TOOLS.ID, tool.id())
        .set(TOOLS.COMPANY_ID, company.value())
        .set(definition(tool))
        .set(TOOLS.STATUS, ToolRow.ACTIVE)
        .set(TOOLS.CREATED_AT, Times.toDb(tool.createdAt()))
        .execute());
  }

  /**
   * Inserts a tool of an MCP server at its version (its status as given), and that version's
   * definition into {@link ToolVersions}.
   *
   * @return false when the company already has a tool of that name
   */
  public boolean insertMcpTool(CompanyId company, ToolRow tool) {
    requireCompany(company, tool);
    boolean inserted = DuplicateKeys.insertOnce(() -> db.insertInto(TOOLS)
        .set(TOOLS.ID, tool.id())
        .set(TOOLS.COMPANY_ID, company.value())
        .set(definition(tool))
        .set(TOOLS.STATUS, tool.status())
        .set(TOOLS.MCP_SERVER_ID, tool.mcpServerId())
        .set(TOOLS.REMOTE_NAME, tool.remoteName())
        .set(TOOLS.VERSION, tool.version())
        .set(TOOLS.CREATED_AT, Times.toDb(tool.createdAt()))
        .execute());
    if (inserted) {
      versions.record(company, tool.id(), tool.version(), tool.description(), tool.parametersJson(), tool.updatedAt());
    }
    return inserted;
  }

  /**
   * A new definition of a versioned tool: version + 1 with this description and schema (also
   * recorded in {@link ToolVersions}), its status active again.
   *
   * @return the new version, or empty when the company has no such tool
   */
  public Optional<Integer> newDefinition(
      CompanyId company, String toolId, String description, String parametersJson, boolean idempotent, Instant at) {
    Optional<ToolRow> stored = findForUpdate(company, toolId);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    int next = stored.get().version() + 1;
    db.update(TOOLS)
        .set(TOOLS.DESCRIPTION, description)
        .set(TOOLS.PARAMETERS, JSON.valueOf(parametersJson))
        .set(TOOLS.IDEMPOTENT, idempotent ? (byte) 1 : (byte) 0)
        .set(TOOLS.VERSION, next)
        .set(TOOLS.STATUS, ToolRow.ACTIVE)
        .set(TOOLS.UPDATED_AT, Times.toDb(at))
        .where(TOOLS.COMPANY_ID.eq(company.value()).and(TOOLS.ID.eq(toolId)))
        .execute();
    versions.record(company, toolId, next, description, parametersJson, at);
    return Optional.of(next);
  }

  /** Sets what a listing says of a tool besides its definition: listed or not, idempotent or not. */
  public boolean setListing(CompanyId company, String toolId, String status, boolean idempotent, Instant at) {
    return db.update(TOOLS)
        .set(TOOLS.STATUS, status)
        .set(TOOLS.IDEMPOTENT, idempotent ? (byte) 1 : (byte) 0)
        .set(TOOLS.UPDATED_AT, Times.toDb(at))
        .where(TOOLS.COMPANY_ID.eq(company.value()).and(TOOLS.ID.eq(toolId)))
        .execute() == 1;
  }

  /** The tools of an MCP server, by name. */
  public List<ToolRow> ofMcpServer(CompanyId company, String serverId) {
    return db.selectFrom(TOOLS)
        .where(TOOLS.COMPANY_ID.eq(company.value()).and(TOOLS.MCP_SERVER_ID.eq(serverId)))
        .orderBy(TOOLS.NAME)
        .fetch(ToolRepository::toRow);
  }

  /** Whether the company has a tool of that name. */
  public boolean nameTaken(CompanyId company, String name) {
    return db.fetchExists(TOOLS, TOOLS.COMPANY_ID.eq(company.value()).and(TOOLS.NAME.eq(name)));
  }

  /**
   * Replaces every mutable field of the tool.
   *
   * @return false when another tool of the company already has the new name
   */
  public boolean update(CompanyId company, ToolRow tool) {
    requireCompany(company, tool);
    return DuplicateKeys.insertOnce(() -> db.update(TOOLS)
        .set(definition(tool))
        .where(TOOLS.COMPANY_ID.eq(company.value()).and(TOOLS.ID.eq(tool.id())))
        .execute());
  }

  /** The columns a tool's definition sets, the same on insert and on update. */
  private static Map<Field<?>, Object> definition(ToolRow tool) {
    Map<Field<?>, Object> columns = new LinkedHashMap<>();
    columns.put(TOOLS.NAME, tool.name());
    columns.put(TOOLS.DESCRIPTION, tool.description());
    columns.put(TOOLS.METHOD, tool.method());
    columns.put(TOOLS.URL_TEMPLATE, tool.urlTemplate());
    columns.put(TOOLS.HEADERS, JSON.valueOf(tool.headersJson()));
    columns.put(TOOLS.PARAMETERS, JSON.valueOf(tool.parametersJson()));
    columns.put(TOOLS.TIMEOUT_MS, tool.timeoutMs());
    columns.put(TOOLS.REQUIRES_APPROVAL, tool.requiresApproval() ? (byte) 1 : (byte) 0);
    columns.put(TOOLS.APPROVAL_TIMEOUT_S, tool.approvalTimeoutSeconds());
    columns.put(TOOLS.IDEMPOTENT, tool.idempotent() ? (byte) 1 : (byte) 0);
    columns.put(TOOLS.KIND, tool.kind());
    columns.put(TOOLS.UPDATED_AT, Times.toDb(tool.updatedAt()));
    return columns;
  }

  /** The company's tools among {@code ids}, in no particular order; ids of other companies are ignored. */
  public List<ToolRow> findAll(CompanyId company, Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return db.selectFrom(TOOLS)
        .where(TOOLS.COMPANY_ID.eq(company.value()).and(TOOLS.ID.in(ids)))
        .fetch(ToolRepository::toRow);
  }

  public Optional<ToolRow> find(CompanyId company, String toolId) {
    return db.selectFrom(TOOLS)
        .where(TOOLS.COMPANY_ID.eq(company.value()).and(TOOLS.ID.eq(toolId)))
        .fetchOptional()
        .map(ToolRepository::toRow);
  }

  /** The tool, its row locked until the transaction ends: updates and deletes of one tool are serialized. */
  public Optional<ToolRow> findForUpdate(CompanyId company, String toolId) {
    return db.selectFrom(TOOLS)
        .where(TOOLS.COMPANY_ID.eq(company.value()).and(TOOLS.ID.eq(toolId)))
        .forUpdate()
        .fetchOptional()
        .map(ToolRepository::toRow);
  }

  /** The tool, share-locked so that it cannot be deleted before the transaction ends. */
  public Optional<ToolRow> findForShare(CompanyId company, String toolId) {
    return db.selectFrom(TOOLS)
        .where(TOOLS.COMPANY_ID.eq(company.value()).and(TOOLS.ID.eq(toolId)))
        .forShare()
        .fetchOptional()
        .map(ToolRepository::toRow);
  }

  /** Newest first; the cursor is the (created_at, id) of the last tool of the previous page. */
  public Page<ToolRow> list(CompanyId company, String cursor, int limit) {
    Condition where = TOOLS.COMPANY_ID.eq(company.value());
    if (cursor != null) {
      String[] key = Cursors.decode(cursor).split("\\|", 2);
      if (key.length != 2) {
        throw new Cursors.InvalidCursorException();
      }
      LocalDateTime createdAt = parseTime(key[0]);
      where = where.and(TOOLS.CREATED_AT.lt(createdAt).or(TOOLS.CREATED_AT.eq(createdAt).and(TOOLS.ID.lt(key[1]))));
    }
    List<ToolRow> rows = db.selectFrom(TOOLS)
        .where(where)
        .orderBy(TOOLS.CREATED_AT.desc(), TOOLS.ID.desc())
        .limit(limit + 1)
        .fetch(ToolRepository::toRow);
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    ToolRow last = rows.get(limit - 1);
    return new Page<>(rows.subList(0, limit), Cursors.encode(Times.toDb(last.createdAt()) + "|" + last.id()));
  }

  /**
   * Tools among {@code ids}, by name; the cursor is the name of the last tool of the previous page,
   * and must name one of these tools.
   */
  public Page<ToolRow> listByName(CompanyId company, Collection<String> ids, String cursor, int limit) {
    Condition where = TOOLS.COMPANY_ID.eq(company.value()).and(ids.isEmpty() ? DSL.falseCondition() : TOOLS.ID.in(ids));
    if (cursor != null) {
      String after = Cursors.decode(cursor);
      if (!db.fetchExists(TOOLS, where.and(TOOLS.NAME.eq(after)))) {
        throw new Cursors.InvalidCursorException();
      }
      where = where.and(TOOLS.NAME.gt(after));
    }
    if (ids.isEmpty()) {
      return new Page<>(List.of(), null);
    }
    List<ToolRow> rows = db.selectFrom(TOOLS)
        .where(where)
        .orderBy(TOOLS.NAME.asc())
        .limit(limit + 1)
        .fetch(ToolRepository::toRow);
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    return new Page<>(rows.subList(0, limit), Cursors.encode(rows.get(limit - 1).name()));
  }

  /** Ids of the agents the tool is attached to now, in id order. */
  public List<String> attachedAgents(CompanyId company, String toolId) {
    return db.select(AGENT_TOOLS.AGENT_ID)
        .from(AGENT_TOOLS)
        .where(AGENT_TOOLS.COMPANY_ID.eq(company.value()).and(AGENT_TOOLS.TOOL_ID.eq(toolId)))
        .orderBy(AGENT_TOOLS.AGENT_ID)
        .fetch(AGENT_TOOLS.AGENT_ID);
  }

  public boolean delete(CompanyId company, String toolId) {
    return db.deleteFrom(TOOLS)
        .where(TOOLS.COMPANY_ID.eq(company.value()).and(TOOLS.ID.eq(toolId)))
        .execute() == 1;
  }

  private static void requireCompany(CompanyId company, ToolRow tool) {
    if (!company.value().equals(tool.companyId())) {
      throw new IllegalArgumentException("tool belongs to another company");
    }
  }

  private static LocalDateTime parseTime(String value) {
    try {
      return LocalDateTime.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw new Cursors.InvalidCursorException();
    }
  }

  private static ToolRow toRow(Record r) {
    return new ToolRow(
        r.get(TOOLS.ID),
        r.get(TOOLS.COMPANY_ID),
        r.get(TOOLS.NAME),
        r.get(TOOLS.DESCRIPTION),
        r.get(TOOLS.METHOD),
        r.get(TOOLS.URL_TEMPLATE),
        r.get(TOOLS.HEADERS).data(),
        r.get(TOOLS.PARAMETERS).data(),
        r.get(TOOLS.TIMEOUT_MS),
        r.get(TOOLS.REQUIRES_APPROVAL) != 0,
        r.get(TOOLS.APPROVAL_TIMEOUT_S),
        r.get(TOOLS.STATUS),
        Times.fromDb(r.get(TOOLS.CREATED_AT)),
        Times.fromDb(r.get(TOOLS.UPDATED_AT)),
        r.get(TOOLS.IDEMPOTENT) != 0,
        r.get(TOOLS.KIND),
        r.get(TOOLS.MCP_SERVER_ID),
        r.get(TOOLS.REMOTE_NAME),
        r.get(TOOLS.VERSION));
  }
}
