package dev.saturn.api.tools;

import dev.saturn.api.audit.AuditTrail;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.FieldError;
import dev.saturn.common.mcp.McpClient;
import dev.saturn.common.mcp.McpException;
import dev.saturn.common.outbound.GuardedHttpClient;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import dev.saturn.db.tools.McpServerRepository;
import dev.saturn.db.tools.McpServerRow;
import dev.saturn.db.tools.ToolRepository;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.db.tools.ToolSecrets;
import dev.saturn.workflows.common.ErrorCode;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * MCP servers as tool sources. Registering a server connects to it and lists its tools, each of
 * which becomes a tool of kind {@code mcp}; a refresh lists again: a tool whose description or
 * schema changed gets a new version (agent versions keep the one they pinned), a tool the server
 * no longer lists becomes unavailable. Connections go through the SSRF guard (the guarded client),
 * outside any database transaction; what a listing changes is written in one transaction with the
 * server's row locked, together with its audit row.
 */
@Service
@EnableConfigurationProperties(McpProperties.class)
class McpServerService {

  static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9_-]{1,32}");
  /** Set by the MCP client itself. */
  private static final Set<String> RESERVED_HEADERS = reserved();

  private final McpServerRepository servers;
  private final ToolRepository tools;
  private final ToolService toolViews;
  private final McpListings listings;
  private final ToolSecrets secrets;
  private final SsrfGuard guard;
  private final McpClient client;
  private final McpProperties properties;
  private final AuditTrail audit;
  private final TransactionTemplate transaction;
  private final JsonMapper json;
  private final Clock clock;

  McpServerService(
      McpServerRepository servers, ToolRepository tools, ToolService toolViews, McpListings listings,
      ToolSecrets secrets, SsrfGuard guard, McpProperties properties, AuditTrail audit, TransactionTemplate transaction,
      JsonMapper json, Clock clock) {
    this.servers = servers;
    this.tools = tools;
    this.toolViews = toolViews;
    this.listings = listings;
    this.secrets = secrets;
    this.guard = guard;
    this.client = new McpClient(new GuardedHttpClient(guard, properties.maxRedirects()));
    this.properties = properties;
    this.audit = audit;
    this.transaction = transaction;
    this.json = json;
    this.clock = clock;
  }

  private static Set<String> reserved() {
    Set<String> names = new java.util.HashSet<>(ToolDefinitions.RESERVED_HEADERS);
    names.addAll(Set.of("accept", "content-type", "mcp-session-id", "mcp-protocol-version"));
    return Set.copyOf(names);
  }

  /** A definition that passed validation, secrets not yet sealed. */
  private record Valid(String name, String url, List<ValidTool.Header> headers) {}

  McpServerView create(Caller caller, McpServerRequests.CreateMcpServer request) {
    Valid server = validate(request.name(), request.url(), request.headers(), Map.of());
    McpListings.Listed listed = list(server.url(), plainHeaders(server.headers()));
    return transaction.execute(status -> {
      String id = Ids.newId();
      Instant now = Times.now(clock);
      McpServerRow row = new McpServerRow(id, caller.company().value(), server.name(), server.url(),
          toolViews.storedHeaders(caller, id, server.headers()), listed.serverInfoJson(), now, now, now);
      if (!servers.insert(caller.company(), row)) {
        throw ApiException.conflict("An MCP server named '" + server.name() + "' already exists");
      }
      McpServerView.Listing listing = listings.apply(caller.company(), row, listed, now);
      McpServerView view = view(caller.company(), row).with(listing, null);
      audit.record(caller, "mcp_server.create", "mcp_server", id, null, view);
      return view;
    });
  }

  McpServerView get(Caller caller, String serverId) {
    return servers.find(caller.company(), serverId).map(row -> view(caller.company(), row))
        .orElseThrow(() -> notFound(serverId));
  }

  Page<McpServerView> list(Caller caller, String cursor, int limit) {
    Page<McpServerRow> page = servers.list(caller.company(), cursor, limit);
    return new Page<>(page.items().stream().map(row -> view(caller.company(), row)).toList(), page.nextCursor());
  }

  /** Lists the server's tools again and applies what changed. */
  McpServerView refresh(Caller caller, String serverId) {
    McpServerRow stored = servers.find(caller.company(), serverId).orElseThrow(() -> notFound(serverId));
    McpListings.Listed listed = list(stored.url(), openHeaders(caller.company(), stored));
    return transaction.execute(status -> {
      McpServerRow locked = servers.findForUpdate(caller.company(), serverId).orElseThrow(() -> notFound(serverId));
      if (!locked.url().equals(stored.url()) || !locked.headersJson().equals(stored.headersJson())) {
        throw ApiException.conflict("MCP server " + serverId + " changed while it was being listed; refresh it again");
      }
      McpServerView before = view(caller.company(), locked);
      Instant now = Times.now(clock);
      McpServerRow row = locked.withListing(listed.serverInfoJson(), now);
      servers.update(caller.company(), row);
      McpServerView.Listing listing = listings.apply(caller.company(), row, listed, now);
      McpServerView after = view(caller.company(), row).with(listing, null);
      audit.record(caller, "mcp_server.refresh", "mcp_server", serverId, before, after);
      return after;
    });
  }

  /**
   * Changes name, URL or headers; does not connect (a refresh does). When the URL's origin
   * changes, stored secret headers are dropped, as for tools.
   */
  McpServerView update(Caller caller, String serverId, McpServerRequests.PatchMcpServer patch) {
    return transaction.execute(status -> {
      McpServerRow stored = servers.findForUpdate(caller.company(), serverId).orElseThrow(() -> notFound(serverId));
      McpServerView before = view(caller.company(), stored);
      Map<String, tools.jackson.databind.JsonNode> headers = new LinkedHashMap<>();
      before.headers().properties().forEach(e -> headers.put(e.getKey(), e.getValue()));
      Valid server = validate(
          patch.name() != null ? patch.name() : stored.name(),
          patch.url() != null ? patch.url() : stored.url(),
          patch.headers() != null ? patch.headers() : headers,
          toolViews.sealedHeaders(stored.headersJson()));
      // A stored secret was given for the stored origin only: it must not follow the URL to another host.
      List<String> dropped = UrlTemplates.sameOrigin(stored.url(), server.url()) ? List.of()
          : server.headers().stream().filter(h -> h.sealed() != null).map(ValidTool.Header::name).toList();
      List<ValidTool.Header> kept = server.headers().stream().filter(h -> !dropped.contains(h.name())).toList();
      McpServerRow row = new McpServerRow(serverId, stored.companyId(), server.name(), server.url(),
          toolViews.storedHeaders(caller, serverId, kept), stored.serverInfoJson(), stored.listedAt(),
          stored.createdAt(), Times.now(clock));
      if (!servers.update(caller.company(), row)) {
        throw ApiException.conflict("An MCP server named '" + server.name() + "' already exists");
      }
      McpServerView after = view(caller.company(), row);
      audit.record(caller, "mcp_server.update", "mcp_server", serverId, before,
          dropped.isEmpty() ? after : after.with(null, dropped));
      return after.with(null, dropped);
    });
  }

  /**
   * Deletes the server and those of its tools no agent has attached; attached ones stay, marked
   * unavailable (left out of every turn), until they are detached and deleted.
   */
  void delete(Caller caller, String serverId) {
    transaction.executeWithoutResult(status -> {
      McpServerRow stored = servers.findForUpdate(caller.company(), serverId).orElseThrow(() -> notFound(serverId));
      McpServerView before = view(caller.company(), stored);
      List<String> deleted = new ArrayList<>();
      List<String> kept = new ArrayList<>();
      Instant now = Times.now(clock);
      for (ToolRow tool : tools.ofMcpServer(caller.company(), serverId)) {
        if (tools.attachedAgents(caller.company(), tool.id()).isEmpty()) {
          tools.delete(caller.company(), tool.id());
          deleted.add(tool.name());
        } else {
          tools.setListing(caller.company(), tool.id(), ToolRow.UNAVAILABLE, tool.idempotent(), now);
          kept.add(tool.name());
        }
      }
      servers.delete(caller.company(), serverId);
      audit.record(caller, "mcp_server.delete", "mcp_server", serverId, before,
          Map.of("deleted_tools", deleted, "unavailable_tools", kept));
    });
  }

  private McpServerView view(CompanyId company, McpServerRow row) {
    return new McpServerView(row.id(), row.name(), row.url(), toolViews.shownHeaders(row.headersJson()),
        row.serverInfoJson() == null ? null : json.readTree(row.serverInfoJson()), row.listedAt(), row.createdAt(),
        row.updatedAt(), tools.ofMcpServer(company, row.id()).stream().map(toolViews::view).toList(), null, null);
  }

  /** Connects and lists; a refused target is the client's error on {@code url}, any other failure a 502. */
  private McpListings.Listed list(String url, Map<String, String> headers) {
    McpClient.Endpoint endpoint = new McpClient.Endpoint(URI.create(url), headers, properties.listTimeout(),
        properties.maxListBytes());
    try (McpClient.Session session = client.open(endpoint)) {
      return listings.read(session.server(), session.listTools(), properties.maxTools());
    } catch (McpException e) {
      if (e.kind() == McpException.Kind.REFUSED) {
        throw ApiException.invalidField("url", "is refused: " + e.getMessage());
      }
      throw ApiException.of(ErrorCode.MCP_SERVER_UNAVAILABLE,
          "Could not list the tools of the MCP server at " + GuardedHttpClient.redactedUrl(URI.create(url)) + ": "
              + e.getMessage());
    }
  }

  /** New headers as sent: plain values and secrets as given (a new server has no stored secret to keep). */
  private static Map<String, String> plainHeaders(List<ValidTool.Header> headers) {
    Map<String, String> plain = new LinkedHashMap<>();
    for (ValidTool.Header header : headers) {
      plain.put(header.name(), header.plain() != null ? header.plain() : header.secret());
    }
    return plain;
  }

  private Map<String, String> openHeaders(CompanyId company, McpServerRow server) {
    Map<String, String> plain = new LinkedHashMap<>();
    json.readTree(server.headersJson()).properties().forEach(e -> {
      if (e.getValue().isString()) {
        plain.put(e.getKey(), e.getValue().asString());
      } else if (e.getValue().has(ToolService.SEALED)) {
        try {
          plain.put(e.getKey(), secrets.decrypt(
              e.getValue().get(ToolService.SEALED).asString(), company.value(), server.id(), e.getKey()));
        } catch (IllegalStateException notOurs) {
          throw ApiException.of(ErrorCode.INTERNAL_ERROR,
              "A secret header of MCP server " + server.name() + " does not decrypt with this process's key");
        }
      }
    });
    return plain;
  }

  /** Validates a server definition, every invalid field at once. */
  private Valid validate(
      String name, String url, Map<String, tools.jackson.databind.JsonNode> headers, Map<String, String> storedSecrets) {
    List<FieldError> errors = new ArrayList<>();
    if (name == null) {
      errors.add(new FieldError("name", "must not be null"));
    } else if (!NAME.matcher(name).matches()) {
      errors.add(new FieldError("name", "must be 1 to 32 of a-z, 0-9, _ and -"));
    }
    if (url == null) {
      errors.add(new FieldError("url", "must not be null"));
    } else {
      List<FieldError> urlErrors = url.indexOf('{') >= 0 || url.indexOf('}') >= 0
          ? List.of(new FieldError("url", "must not have placeholders"))
          : UrlTemplates.check(url, List.of());
      errors.addAll(urlErrors.isEmpty() ? UrlTemplates.refusedTarget(url, guard) : urlErrors);
    }
    List<ValidTool.Header> valid = ToolDefinitions.headers(headers, storedSecrets, errors, RESERVED_HEADERS);
    ToolDefinitions.failOn(errors);
    return new Valid(name, url, valid);
  }

  private static ApiException notFound(String serverId) {
    return ApiException.notFound("MCP server " + serverId);
  }
}
