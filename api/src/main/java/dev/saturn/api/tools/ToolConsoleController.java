package dev.saturn.api.tools;

import dev.saturn.api.console.ConsoleController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.FieldError;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.workflows.common.ErrorCode;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's Tools page: the company's tools and MCP servers; registering either, refreshing a
 * server, attaching a tool to an agent and a test call. Each goes through the service (and so the
 * validation, SSRF guard and audit) of the REST endpoint it mirrors: {@code POST /v1/tools},
 * {@code POST /v1/mcp-servers}, {@code POST /v1/mcp-servers/{id}/refresh},
 * {@code POST /v1/agents/{id}/tools/{toolId}}. A test call ({@link ToolTests}) has no REST twin: it runs
 * the tool's executor once, as a model's call would, and is audited as {@code tool.test}.
 */
@ConsoleController
class ToolConsoleController {

  static final String PATH = ConsoleController.ROOT + "/tools";
  private static final int PAGE = 200;

  /** What the tool form shows again after a refusal. */
  record ToolForm(String name, String description, String method, String url, String parameters,
      boolean requiresApproval, boolean idempotent, String idempotencyKey) {
    static ToolForm empty() {
      return new ToolForm("", "", "GET", "", "", false, false, UUID.randomUUID().toString());
    }
  }

  record ServerForm(String name, String url, String headers) {
    static ServerForm empty() {
      return new ServerForm("", "", "");
    }
  }

  /** One MCP server row. */
  record ServerItem(String id, String name, String host, String status, Instant listedAt, int tools) {}

  private final ToolService tools;
  private final McpServerService servers;
  private final ToolTests tests;
  private final AgentRepository agents;
  private final JsonMapper json;

  ToolConsoleController(ToolService tools, McpServerService servers, ToolTests tests, AgentRepository agents,
      JsonMapper json) {
    this.tools = tools;
    this.servers = servers;
    this.tests = tests;
    this.agents = agents;
    this.json = json;
  }

  @GetMapping(PATH)
  @Requires(Permission.TOOLS_READ)
  String list(Caller caller, Model model) {
    return page(caller, model, ToolForm.empty(), Map.of(), ServerForm.empty(), Map.of());
  }

  @PostMapping(PATH)
  @Requires(Permission.TOOLS_WRITE)
  String register(
      Caller caller,
      @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String description,
      @RequestParam(defaultValue = "GET") String method,
      @RequestParam(defaultValue = "") String url,
      @RequestParam(defaultValue = "") String parameters,
      @RequestParam(defaultValue = "false") boolean requiresApproval,
      @RequestParam(defaultValue = "false") boolean idempotent,
      @RequestParam(defaultValue = "") String idempotencyKey,
      Model model,
      RedirectAttributes redirect) {
    ToolForm form = new ToolForm(name, description, method, url, parameters, requiresApproval, idempotent,
        idempotencyKey.isBlank() ? UUID.randomUUID().toString() : idempotencyKey);
    Map<String, String> errors = new LinkedHashMap<>();
    JsonNode schema = parameters.isBlank() ? null : jsonObject(parameters, "parameters", errors);
    if (errors.isEmpty()) {
      try {
        ToolView tool = tools.create(caller, form.idempotencyKey(), new ToolRequests.CreateTool(
            name.strip(), description, method, url.strip(), null, schema, null, requiresApproval, null, idempotent));
        redirect.addFlashAttribute("notice", "Tool " + tool.name() + " registered.");
        return "redirect:" + PATH + "#tool-" + tool.id();
      } catch (ApiException refused) {
        errors.putAll(fieldErrors(refused));
      }
    }
    return page(caller, model, form, errors, ServerForm.empty(), Map.of());
  }

  @PostMapping(PATH + "/mcp-servers")
  @Requires(Permission.TOOLS_WRITE)
  String registerServer(
      Caller caller,
      @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String url,
      @RequestParam(defaultValue = "") String headers,
      Model model,
      RedirectAttributes redirect) {
    ServerForm form = new ServerForm(name, url, headers);
    Map<String, String> errors = new LinkedHashMap<>();
    Map<String, JsonNode> headerMap = headers(headers, errors);
    if (errors.isEmpty()) {
      try {
        McpServerView server = servers.create(caller,
            new McpServerRequests.CreateMcpServer(name.strip(), url.strip(), headerMap));
        redirect.addFlashAttribute("notice",
            "MCP server " + server.name() + " registered with " + server.tools().size() + " tools.");
        return "redirect:" + PATH + "#mcp-server-" + server.id();
      } catch (ApiException refused) {
        errors.putAll(fieldErrors(refused));
      }
    }
    return page(caller, model, ToolForm.empty(), Map.of(), form, errors);
  }

  @PostMapping(PATH + "/mcp-servers/{serverId}/refresh")
  @Requires(Permission.TOOLS_WRITE)
  String refresh(Caller caller, @PathVariable String serverId, RedirectAttributes redirect) {
    servers.get(caller, serverId);
    try {
      McpServerView server = servers.refresh(caller, serverId);
      McpServerView.Listing listing = server.listing();
      redirect.addFlashAttribute("notice", "MCP server " + server.name() + " refreshed: " + listing.added().size()
          + " added, " + listing.changed().size() + " changed, " + listing.unavailable().size() + " unavailable.");
    } catch (ApiException refused) {
      redirect.addFlashAttribute("problem", refused.detail());
    }
    return "redirect:" + PATH;
  }

  /** Attaches the tool to an agent: a new agent version, as {@code POST /v1/agents/{id}/tools/{toolId}}. */
  @PostMapping(PATH + "/{toolId}/attach")
  @Requires(Permission.AGENTS_WRITE)
  String attach(Caller caller, @PathVariable String toolId, @RequestParam(defaultValue = "") String agentId,
      RedirectAttributes redirect) {
    ToolView tool = tools.get(caller, toolId);
    try {
      ToolService.AllowlistView attached = tools.attach(caller, agentId, toolId);
      String agent = agents.find(caller.company(), agentId).map(AgentRow::name).orElse(agentId);
      redirect.addFlashAttribute("notice", attached.changed()
          ? "Tool " + tool.name() + " attached to " + agent + ": now version " + attached.version() + "."
          : "Tool " + tool.name() + " was already attached to " + agent + " (version " + attached.version() + ").");
    } catch (ApiException refused) {
      redirect.addFlashAttribute("problem", refused.code() == ErrorCode.NOT_FOUND
          ? "Choose an agent of this company." : refused.detail());
    }
    return "redirect:" + PATH + "#tool-" + toolId;
  }

  /** The test-call form of one tool. */
  @GetMapping(PATH + "/{toolId}/test")
  @Requires(Permission.TOOLS_WRITE)
  String testForm(Caller caller, @PathVariable String toolId, Model model) {
    model.addAttribute("tool", tools.get(caller, toolId));
    model.addAttribute("arguments", "{}");
    model.addAttribute("error", null);
    model.addAttribute("result", null);
    return "console/tool-test";
  }

  @PostMapping(PATH + "/{toolId}/test")
  @Requires(Permission.TOOLS_WRITE)
  String test(Caller caller, @PathVariable String toolId, @RequestParam(defaultValue = "") String arguments,
      Model model) {
    model.addAttribute("tool", tools.get(caller, toolId));
    model.addAttribute("arguments", arguments);
    Map<String, String> errors = new LinkedHashMap<>();
    JsonNode parsed = jsonObject(arguments.isBlank() ? "{}" : arguments, "arguments", errors);
    model.addAttribute("result", null);
    model.addAttribute("error", errors.get("arguments"));
    if (errors.isEmpty()) {
      try {
        model.addAttribute("result", tests.run(caller, toolId, parsed));
      } catch (ApiException refused) {
        model.addAttribute("error", refused.fieldErrors().isEmpty() ? refused.detail()
            : refused.fieldErrors().stream().map(f -> f.field() + " " + f.message()).reduce((a, b) -> a + "; " + b).orElseThrow());
      }
    }
    return "console/tool-test";
  }

  private String page(Caller caller, Model model, ToolForm toolForm, Map<String, String> toolErrors,
      ServerForm serverForm, Map<String, String> serverErrors) {
    List<ToolView> toolList = tools.list(caller, null, PAGE).items();
    List<ServerItem> serverList = servers.list(caller, null, PAGE).items().stream().map(ToolConsoleController::item).toList();
    model.addAttribute("tools", toolList);
    model.addAttribute("servers", serverList);
    model.addAttribute("canWrite", caller.can(Permission.TOOLS_WRITE));
    model.addAttribute("canAttach", caller.can(Permission.AGENTS_WRITE));
    model.addAttribute("agents", caller.can(Permission.AGENTS_WRITE) ? agents.list(caller.company(), null, PAGE).items() : List.of());
    model.addAttribute("form", toolForm);
    model.addAttribute("errors", toolErrors);
    model.addAttribute("serverForm", serverForm);
    model.addAttribute("serverErrors", serverErrors);
    return "console/tools";
  }

  private static ServerItem item(McpServerView server) {
    long unavailable = server.tools().stream().filter(t -> !"active".equals(t.status())).count();
    String status = server.listedAt() == null ? "not listed" : unavailable == 0 ? "listed" : unavailable + " tools unavailable";
    return new ServerItem(server.id(), server.name(), URI.create(server.url()).getHost(), status,
        server.listedAt(), server.tools().size());
  }

  /** The refusal's field errors by form field; a refusal without any goes on the form as a whole. */
  private static Map<String, String> fieldErrors(ApiException refused) {
    Map<String, String> errors = new LinkedHashMap<>();
    for (FieldError error : refused.fieldErrors()) {
      String field = error.field().startsWith("parameters") ? "parameters"
          : error.field().startsWith("headers") ? "headers" : error.field();
      errors.merge(field, error.message(), (a, b) -> a + "; " + b);
    }
    if (errors.isEmpty()) {
      errors.put("form", refused.detail());
    }
    return errors;
  }

  private JsonNode jsonObject(String text, String field, Map<String, String> errors) {
    try {
      JsonNode node = json.readTree(text);
      if (node != null && node.isObject()) {
        return node;
      }
      errors.put(field, "must be a JSON object");
    } catch (JacksonException e) {
      errors.put(field, "is not valid JSON: " + e.getOriginalMessage());
    }
    return null;
  }

  /** "Name: value" lines. */
  private Map<String, JsonNode> headers(String text, Map<String, String> errors) {
    Map<String, JsonNode> headers = new LinkedHashMap<>();
    for (String line : text.split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        errors.put("headers", "each line must be 'Name: value'");
        return null;
      }
      headers.put(line.substring(0, colon).strip(), json.getNodeFactory().stringNode(line.substring(colon + 1).strip()));
    }
    return headers.isEmpty() ? null : headers;
  }
}
