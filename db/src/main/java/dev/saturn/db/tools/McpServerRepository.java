package dev.saturn.db.tools;

import static dev.saturn.db.jooq.Tables.MCP_SERVERS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Cursors;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

/** The MCP servers of one company. Names are unique per company ({@code uq_mcp_servers_company_name}). */
@Repository
public class McpServerRepository {

  private final DSLContext db;

  public McpServerRepository(DSLContext db) {
    this.db = db;
  }

  /** @return false when the company already has a server of that name */
  public boolean insert(CompanyId company, McpServerRow server) {
    requireCompany(company, server);
    return DuplicateKeys.insertOnce(() -> db.insertInto(MCP_SERVERS)
        .set(MCP_SERVERS.ID, server.id())
        .set(MCP_SERVERS.COMPANY_ID, company.value())
        .set(MCP_SERVERS.NAME, server.name())
        .set(MCP_SERVERS.URL, server.url())
        .set(MCP_SERVERS.HEADERS, JSON.valueOf(server.headersJson()))
        .set(MCP_SERVERS.SERVER_INFO, server.serverInfoJson() == null ? null : JSON.valueOf(server.serverInfoJson()))
        .set(MCP_SERVERS.LISTED_AT, Times.toDb(server.listedAt()))
        .set(MCP_SERVERS.CREATED_AT, Times.toDb(server.createdAt()))
        .set(MCP_SERVERS.UPDATED_AT, Times.toDb(server.updatedAt()))
        .execute());
  }

  /**
   * Replaces the server's name, URL, headers and listing.
   *
   * @return false when another server of the company already has the new name
   */
  public boolean update(CompanyId company, McpServerRow server) {
    requireCompany(company, server);
    return DuplicateKeys.insertOnce(() -> db.update(MCP_SERVERS)
        .set(MCP_SERVERS.NAME, server.name())
        .set(MCP_SERVERS.URL, server.url())
        .set(MCP_SERVERS.HEADERS, JSON.valueOf(server.headersJson()))
        .set(MCP_SERVERS.SERVER_INFO, server.serverInfoJson() == null ? null : JSON.valueOf(server.serverInfoJson()))
        .set(MCP_SERVERS.LISTED_AT, Times.toDb(server.listedAt()))
        .set(MCP_SERVERS.UPDATED_AT, Times.toDb(server.updatedAt()))
        .where(MCP_SERVERS.COMPANY_ID.eq(company.value()).and(MCP_SERVERS.ID.eq(server.id())))
        .execute());
  }

  public Optional<McpServerRow> find(CompanyId company, String serverId) {
    return db.selectFrom(MCP_SERVERS)
        .where(MCP_SERVERS.COMPANY_ID.eq(company.value()).and(MCP_SERVERS.ID.eq(serverId)))
        .fetchOptional()
        .map(McpServerRepository::toRow);
  }

  /** The server, its row locked until the transaction ends: changes of one server are serialized. */
  public Optional<McpServerRow> findForUpdate(CompanyId company, String serverId) {
    return db.selectFrom(MCP_SERVERS)
        .where(MCP_SERVERS.COMPANY_ID.eq(company.value()).and(MCP_SERVERS.ID.eq(serverId)))
        .forUpdate()
        .fetchOptional()
        .map(McpServerRepository::toRow);
  }

  /** Newest first; the cursor is the (created_at, id) of the last server of the previous page. */
  public Page<McpServerRow> list(CompanyId company, String cursor, int limit) {
    Condition where = MCP_SERVERS.COMPANY_ID.eq(company.value());
    if (cursor != null) {
      String[] key = Cursors.decode(cursor).split("\\|", 2);
      if (key.length != 2) {
        throw new Cursors.InvalidCursorException();
      }
      LocalDateTime createdAt;
      try {
        createdAt = LocalDateTime.parse(key[0]);
      } catch (DateTimeParseException e) {
        throw new Cursors.InvalidCursorException();
      }
      where = where.and(MCP_SERVERS.CREATED_AT.lt(createdAt)
          .or(MCP_SERVERS.CREATED_AT.eq(createdAt).and(MCP_SERVERS.ID.lt(key[1]))));
    }
    List<McpServerRow> rows = db.selectFrom(MCP_SERVERS)
        .where(where)
        .orderBy(MCP_SERVERS.CREATED_AT.desc(), MCP_SERVERS.ID.desc())
        .limit(limit + 1)
        .fetch(McpServerRepository::toRow);
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    McpServerRow last = rows.get(limit - 1);
    return new Page<>(rows.subList(0, limit), Cursors.encode(Times.toDb(last.createdAt()) + "|" + last.id()));
  }

  public boolean delete(CompanyId company, String serverId) {
    return db.deleteFrom(MCP_SERVERS)
        .where(MCP_SERVERS.COMPANY_ID.eq(company.value()).and(MCP_SERVERS.ID.eq(serverId)))
        .execute() == 1;
  }

  private static void requireCompany(CompanyId company, McpServerRow server) {
    if (!company.value().equals(server.companyId())) {
      throw new IllegalArgumentException("MCP server belongs to another company");
    }
  }

  private static McpServerRow toRow(Record r) {
    JSON info = r.get(MCP_SERVERS.SERVER_INFO);
    return new McpServerRow(
        r.get(MCP_SERVERS.ID),
        r.get(MCP_SERVERS.COMPANY_ID),
        r.get(MCP_SERVERS.NAME),
        r.get(MCP_SERVERS.URL),
        r.get(MCP_SERVERS.HEADERS).data(),
        info == null ? null : info.data(),
        Times.fromDb(r.get(MCP_SERVERS.LISTED_AT)),
        Times.fromDb(r.get(MCP_SERVERS.CREATED_AT)),
        Times.fromDb(r.get(MCP_SERVERS.UPDATED_AT)));
  }
}
