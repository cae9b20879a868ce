package dev.saturn.api.agents;

import dev.saturn.api.console.ConsoleController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.workflows.agents.AgentConfig;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;

/**
 * The console's Agents page: the company's agents and a form that creates one through the same
 * {@link AgentCreation} and validation ({@link AgentController.CreateAgent}) as {@code POST /v1/agents}.
 */
@ConsoleController
class AgentConsoleController {

  static final String PATH = ConsoleController.ROOT + "/agents";
  private static final int PAGE = 200;

  /** One row of the list, with the current version's model settings. */
  record AgentItem(String id, String name, String status, int version, String provider, String model) {}

  /** What the form shows again after a refusal. */
  record AgentForm(String name, String systemPrompt, String provider, String model, String temperature) {
    static AgentForm empty() {
      return new AgentForm("", "", AgentConfig.DEFAULT_PROVIDER, "", "");
    }
  }

  private final AgentRepository agents;
  private final AgentCreation creation;
  private final AgentConfigCodec configs;
  private final Validator validator;

  AgentConsoleController(AgentRepository agents, AgentCreation creation, AgentConfigCodec configs, Validator validator) {
    this.agents = agents;
    this.creation = creation;
    this.configs = configs;
    this.validator = validator;
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
  String form(@RequestHeader(name = "HX-Request", required = false) String htmx, Model model) {
    model.addAttribute("form", AgentForm.empty());
    model.addAttribute("errors", Map.of());
    return htmx != null ? "console/agent-form :: form" : "console/agent-new";
  }

  @PostMapping(PATH)
  @Requires(Permission.AGENTS_WRITE)
  String create(
      Caller caller,
      @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String systemPrompt,
      @RequestParam(defaultValue = "") String provider,
      @RequestParam(defaultValue = "") String model,
      @RequestParam(defaultValue = "") String temperature,
      Model page) {
    AgentForm form = new AgentForm(name, systemPrompt, provider, model, temperature);
    Map<String, String> errors = new LinkedHashMap<>();
    Double parsedTemperature = null;
    if (!temperature.isBlank()) {
      try {
        parsedTemperature = Double.valueOf(temperature.trim());
      } catch (NumberFormatException e) {
        errors.put("temperature", "must be a number between 0 and 2");
      }
    }
    AgentController.CreateAgent request = new AgentController.CreateAgent(
        name.strip(),
        new AgentConfigRequest(blankToNull(systemPrompt), blankToNull(provider), blankToNull(model), parsedTemperature,
            null, null, null, null));
    for (ConstraintViolation<AgentController.CreateAgent> violation : validator.validate(request)) {
      String path = violation.getPropertyPath().toString();
      errors.putIfAbsent(path.substring(path.lastIndexOf('.') + 1), violation.getMessage());
    }
    if (!errors.isEmpty()) {
      page.addAttribute("form", form);
      page.addAttribute("errors", errors);
      return "console/agent-new";
    }
    AgentRow agent = creation.create(caller, null, request.name(), request.config());
    return "redirect:" + PATH + "?created=" + agent.id();
  }

  private AgentItem item(Caller caller, AgentRow agent) {
    JsonNode config = agents.findVersion(caller.company(), agent.id(), agent.currentVersion())
        .map(version -> configs.toTree(version.configJson()))
        .orElse(null);
    return new AgentItem(agent.id(), agent.name(), agent.status(), agent.currentVersion(),
        config == null ? null : config.path("provider").asString(null),
        config == null ? null : config.path("model").asString(null));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
