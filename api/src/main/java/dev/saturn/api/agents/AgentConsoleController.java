package dev.saturn.api.agents;

import dev.saturn.api.console.ConsoleController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.tools.ToolService;
import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.FieldError;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.agents.AgentVersionRow;
import dev.saturn.db.tools.ToolRepository;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.workflows.agents.AgentConfig;
import dev.saturn.workflows.common.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The console's Agents pages: the company's agents, a form that creates one through the same
 * {@link AgentCreation} and validation ({@link AgentController.CreateAgent}) as {@code POST /v1/agents},
 * an agent's page whose Edit saves a new version through {@link AgentService#update} (as
 * {@code PATCH /v1/agents/{id}}), Disable / Enable ({@link AgentService#setEnabled}), and two versions
 * side by side with the differences of their config ({@link AgentConfigDiff}).
 */
@ConsoleController
class AgentConsoleController {

  static final String PATH = ConsoleController.ROOT + "/agents";
  private static final int PAGE = 200;
  /** The form's names of the config members the API reports as {@code config.<member>}. */
  private static final Map<String, String> FORM_FIELDS = Map.of(
      "system_prompt", "systemPrompt", "provider", "provider", "model", "model", "temperature", "temperature",
      "history_window", "historyWindow", "kb.top_k", "kbTopK", "topK", "kbTopK");

  /** One row of the list, with the current version's model settings. */
  record AgentItem(String id, String name, String status, int version, String provider, String model) {}

  /** What the form shows (again, after a refusal). */
  record AgentForm(String name, String systemPrompt, String provider, String model, String temperature,
      String historyWindow, String kbTopK) {
    /** Bound from the posted form; a field not sent is empty. */
    AgentForm {
      name = name == null ? "" : name;
      systemPrompt = systemPrompt == null ? "" : systemPrompt;
      provider = provider == null ? "" : provider;
      model = model == null ? "" : model;
      temperature = temperature == null ? "" : temperature;
      historyWindow = historyWindow == null ? "" : historyWindow;
      kbTopK = kbTopK == null ? "" : kbTopK;
    }

    /** The numbers of the form, each null when empty; what is not a number goes into {@code errors}. */
    Numbers numbers(Map<String, String> errors) {
      return new Numbers(number(temperature, "temperature", errors), whole(historyWindow, "historyWindow", errors),
          whole(kbTopK, "kbTopK", errors));
    }

    static AgentForm empty() {
      return new AgentForm("", "", AgentConfig.DEFAULT_PROVIDER, "", "", "", "");
    }

    static AgentForm of(AgentRow agent, JsonNode config) {
      return new AgentForm(agent.name(), config.path("system_prompt").asString(""),
          config.path("provider").asString(AgentConfig.DEFAULT_PROVIDER), config.path("model").asString(""),
          config.path("temperature").isNumber() ? config.path("temperature").asString() : "",
          config.path("history_window").isNumber() ? config.path("history_window").asString() : "",
          config.path("kb").path("top_k").isNumber() ? config.path("kb").path("top_k").asString() : "");
    }
  }

  record Numbers(Double temperature, Integer historyWindow, Integer kbTopK) {}

  private final AgentRepository agents;
  private final AgentCreation creation;
  private final AgentService service;
  private final AgentConfigCodec configs;
  private final Validator validator;
  private final ToolRepository tools;
  private final ToolService toolService;

  AgentConsoleController(AgentRepository agents, AgentCreation creation, AgentService service, AgentConfigCodec configs,
      Validator validator, ToolRepository tools, ToolService toolService) {
    this.agents = agents;
    this.creation = creation;
    this.service = service;
    this.configs = configs;
    this.validator = validator;
    this.tools = tools;
    this.toolService = toolService;
  }

  @GetMapping(PATH)
  @Requires(Permission.AGENTS_READ)
  String list(Caller caller, @RequestParam(required = false) String created, Model model) {
    List<AgentItem> items = agents.list(caller.company(), null, PAGE).items().stream().map(a -> item(caller, a)).toList();
    model.addAttribute("agents", items);
    model.addAttribute("canWrite", caller.can(Permission.AGENTS_WRITE));
    model.addAttribute("created", created);
    return "console/agents";
  }

  /** The empty form; htmx puts it into the list page, a plain GET shows it as a page. */
  @GetMapping(PATH + "/new")
  @Requires(Permission.AGENTS_WRITE)
  String form(Caller caller, @RequestHeader(name = "HX-Request", required = false) String htmx, Model model) {
    model.addAttribute("form", AgentForm.empty());
    model.addAttribute("errors", Map.of());
    model.addAttribute("tools", tools(caller));
    return htmx != null ? "console/agent-form :: form" : "console/agent-new";
  }

  @PostMapping(PATH)
  @Requires(Permission.AGENTS_WRITE)
  String create(
      Caller caller,
      @ModelAttribute AgentForm form,
      @RequestParam(name = "tools", required = false) List<String> toolIds,
      Model page) {
    List<String> chosen = toolIds == null ? List.of() : toolIds.stream().distinct().toList();
    Map<String, String> errors = new LinkedHashMap<>();
    Numbers numbers = form.numbers(errors);
    AgentController.CreateAgent request = new AgentController.CreateAgent(
        form.name().strip(),
        new AgentConfigRequest(blankToNull(form.systemPrompt()), blankToNull(form.provider()), blankToNull(form.model()),
            numbers.temperature(), numbers.historyWindow(), null, null,
            numbers.kbTopK() == null ? null : new AgentConfigRequest.Kb(null, null, numbers.kbTopK(), null, null)));
    for (ConstraintViolation<AgentController.CreateAgent> violation : validator.validate(request)) {
      String path = violation.getPropertyPath().toString();
      String field = path.substring(path.lastIndexOf('.') + 1);
      errors.putIfAbsent(FORM_FIELDS.getOrDefault(field, field), violation.getMessage());
    }
    List<ToolRow> offered = tools(caller);
    if (!offered.stream().map(ToolRow::id).toList().containsAll(chosen)) {
      errors.put("tools", "must be tools of this company");
    }
    if (!errors.isEmpty()) {
      page.addAttribute("form", form);
      page.addAttribute("errors", errors);
      page.addAttribute("tools", offered);
      page.addAttribute("chosenTools", chosen);
      return "console/agent-new";
    }
    AgentRow agent = creation.create(caller, null, request.name(), request.config());
    // As a client of the API would: create, then attach each tool (each attach is a version, as there).
    chosen.forEach(toolId -> toolService.attach(caller, agent.id(), toolId));
    return "redirect:" + PATH + "?created=" + agent.id();
  }

  /** An agent: its current version's settings, Edit, Disable / Enable, and its versions. */
  @GetMapping(PATH + "/{agentId}")
  @Requires(Permission.AGENTS_READ)
  String agent(Caller caller, @PathVariable String agentId, Model model) {
    AgentRow agent = find(caller, agentId);
    JsonNode config = config(caller, agent, agent.currentVersion());
    model.addAttribute("agent", agent);
    model.addAttribute("config", AgentConfigDiff.flatten(config));
    model.addAttribute("canWrite", caller.can(Permission.AGENTS_WRITE));
    return "console/agent";
  }

  @GetMapping(PATH + "/{agentId}/edit")
  @Requires(Permission.AGENTS_WRITE)
  String edit(Caller caller, @PathVariable String agentId, Model model) {
    AgentRow agent = find(caller, agentId);
    model.addAttribute("agent", agent);
    model.addAttribute("form", AgentForm.of(agent, config(caller, agent, agent.currentVersion())));
    model.addAttribute("errors", Map.of());
    return "console/agent-edit";
  }

  /** Saves the form as the agent's next version, through the service of {@code PATCH /v1/agents/{id}}. */
  @PostMapping(PATH + "/{agentId}")
  @Requires(Permission.AGENTS_WRITE)
  String update(
      Caller caller,
      @PathVariable String agentId,
      @ModelAttribute AgentForm form,
      Model page,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    AgentRow agent = find(caller, agentId);
    String name = form.name();
    Map<String, String> errors = new LinkedHashMap<>();
    if (name.isBlank()) {
      errors.put("name", "must not be blank");
    } else if (name.strip().length() > 200) {
      errors.put("name", "size must be between 1 and 200");
    }
    Numbers numbers = form.numbers(errors);
    if (errors.isEmpty()) {
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      patch.put("system_prompt", form.systemPrompt());
      patch.put("provider", form.provider().isBlank() ? AgentConfig.DEFAULT_PROVIDER : form.provider());
      patch.put("model", blankToNull(form.model()));
      patch.put("temperature", numbers.temperature());
      patch.put("history_window", numbers.historyWindow());
      if (numbers.kbTopK() != null || config(caller, agent, agent.currentVersion()).has("kb")) {
        patch.putObject("kb").put("top_k", numbers.kbTopK());
      }
      try {
        AgentRow saved = service.update(caller, agentId, name.strip(), patch);
        redirect.addAttribute("saved", saved.currentVersion());
        return "redirect:" + PATH + "/" + agentId;
      } catch (ApiException e) {
        if (e.code() != ErrorCode.VALIDATION_FAILED && e.code() != ErrorCode.CONFLICT) {
          throw e;
        }
        for (FieldError error : e.fieldErrors()) {
          String member = error.field().startsWith("config.") ? error.field().substring("config.".length()) : error.field();
          errors.putIfAbsent(FORM_FIELDS.getOrDefault(member, member), error.message());
        }
        errors.putIfAbsent("form", e.detail());
      } catch (AgentRepository.ConcurrentVersionException e) {
        errors.put("form", "The agent was changed at the same time; open it again and retry.");
      }
    }
    response.setStatus(HttpStatus.BAD_REQUEST.value());
    page.addAttribute("agent", agent);
    page.addAttribute("form", form);
    page.addAttribute("errors", errors);
    return "console/agent-edit";
  }

  /** Disable or Enable, through the service of {@code POST /v1/agents/{id}/disable|enable}. */
  @PostMapping({PATH + "/{agentId}/disable", PATH + "/{agentId}/enable"})
  @Requires(Permission.AGENTS_WRITE)
  String setEnabled(Caller caller, @PathVariable String agentId, HttpServletRequest request, RedirectAttributes redirect) {
    boolean enable = request.getRequestURI().endsWith("/enable");
    service.setEnabled(caller, agentId, enable);
    redirect.addAttribute(enable ? "enabled" : "disabled", "");
    return "redirect:" + PATH + "/" + agentId;
  }

  /** Two versions side by side (by default the current one and the one before), their differences marked. */
  @GetMapping(PATH + "/{agentId}/versions")
  @Requires(Permission.AGENTS_READ)
  String versions(Caller caller, @PathVariable String agentId, @RequestParam(required = false) String left,
      @RequestParam(required = false) String right, Model model, HttpServletResponse response) {
    AgentRow agent = find(caller, agentId);
    int current = agent.currentVersion();
    Map<String, String> errors = new LinkedHashMap<>();
    int rightVersion = version(right, current, current, "right", errors);
    int leftVersion = version(left, Math.max(1, rightVersion - 1), current, "left", errors);
    model.addAttribute("agent", agent);
    model.addAttribute("versions", agents.listVersions(caller.company(), agentId, null, PAGE).items());
    model.addAttribute("left", left == null ? Integer.toString(leftVersion) : left);
    model.addAttribute("right", right == null ? Integer.toString(rightVersion) : right);
    model.addAttribute("errors", errors);
    if (!errors.isEmpty()) {
      response.setStatus(HttpStatus.BAD_REQUEST.value());
      model.addAttribute("diff", List.of());
      return "console/agent-versions";
    }
    model.addAttribute("leftVersion", leftVersion);
    model.addAttribute("rightVersion", rightVersion);
    model.addAttribute("diff", AgentConfigDiff.compare(config(caller, agent, leftVersion), config(caller, agent, rightVersion)));
    return "console/agent-versions";
  }

  /** The company's tools the form offers (MCP tools a server no longer lists are left out). */
  private List<ToolRow> tools(Caller caller) {
    return tools.list(caller.company(), null, PAGE).items().stream()
        .filter(tool -> !ToolRow.UNAVAILABLE.equals(tool.status())).toList();
  }

  private AgentRow find(Caller caller, String agentId) {
    return agents.find(caller.company(), agentId).orElseThrow(() -> ApiException.notFound("agent " + agentId));
  }

  private JsonNode config(Caller caller, AgentRow agent, int version) {
    return agents.findVersion(caller.company(), agent.id(), version)
        .map(AgentVersionRow::configJson).map(configs::toTree)
        .orElseThrow(() -> ApiException.notFound("version " + version + " of agent " + agent.id()));
  }

  private AgentItem item(Caller caller, AgentRow agent) {
    JsonNode config = agents.findVersion(caller.company(), agent.id(), agent.currentVersion())
        .map(version -> configs.toTree(version.configJson()))
        .orElse(null);
    return new AgentItem(agent.id(), agent.name(), agent.status(), agent.currentVersion(),
        config == null ? null : config.path("provider").asString(null),
        config == null ? null : config.path("model").asString(null));
  }

  private static int version(String text, int fallback, int current, String field, Map<String, String> errors) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      int version = Integer.parseInt(text.strip());
      if (version >= 1 && version <= current) {
        return version;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.put(field, "must be a version from 1 to " + current);
    return fallback;
  }

  private static Double number(String text, String field, Map<String, String> errors) {
    if (text.isBlank()) {
      return null;
    }
    try {
      double value = Double.parseDouble(text.strip());
      if (Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.put(field, "must be a number between 0 and 2");
    return null;
  }

  private static Integer whole(String text, String field, Map<String, String> errors) {
    if (text.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(text.strip());
    } catch (NumberFormatException e) {
      errors.put(field, "must be a whole number");
      return null;
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
