package dev.saturn.api.tools;

import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.FieldError;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.workflows.tools.ApprovalTimeouts;
import dev.saturn.workflows.tools.UrlPlaceholders;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates a tool definition as a whole (create, and update after merging the patch into the
 * stored tool), reporting every invalid field at once, named as the client wrote it.
 */
@Component
class ToolDefinitions {

  static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");
  static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
  static final int DEFAULT_TIMEOUT_MS = 10_000;
  static final int MAX_TIMEOUT_MS = 120_000;
  static final int MAX_HEADERS = 50;
  static final int MAX_HEADER_VALUE = 8192;
  /** RFC 9110 token characters. */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
  /** Set by the HTTP client from the request itself; a tool may not override them. */
  static final Set<String> RESERVED_HEADERS =
      Set.of("host", "content-length", "transfer-encoding", "connection", "upgrade", "te", "trailer", "keep-alive");

  private final ParameterSchemas schemas;
  private final JsonMapper json;
  private final SsrfGuard guard;

  ToolDefinitions(ParameterSchemas schemas, JsonMapper json, SsrfGuard guard) {
    this.schemas = schemas;
    this.json = json;
    this.guard = guard;
  }

  /**
   * @param storedSecrets ciphertexts of the stored tool's secret headers by name, which
   *     {@code {"secret": true}} may keep (empty on create)
   * @throws ApiException VALIDATION_FAILED listing every invalid field
   */
  ValidTool validate(ToolRequests.CreateTool tool, Map<String, String> storedSecrets) {
    List<FieldError> errors = new ArrayList<>();
    if (tool.name() == null) {
      errors.add(new FieldError("name", "must not be null"));
    } else if (!NAME.matcher(tool.name()).matches()) {
      errors.add(new FieldError("name", "must be 1 to 64 of a-z, 0-9, _ and -"));
    }
    if (tool.description() == null) {
      errors.add(new FieldError("description", "must not be null"));
    } else if (tool.description().length() > 2000) {
      errors.add(new FieldError("description", "must be at most 2000 characters"));
    }
    if (tool.method() == null) {
      errors.add(new FieldError("method", "must not be null"));
    } else if (!METHODS.contains(tool.method())) {
      errors.add(new FieldError("method", "must be one of: GET, POST, PUT, PATCH, DELETE"));
    }
    JsonNode parameters = tool.parameters() == null ? defaultParameters() : tool.parameters();
    List<FieldError> schemaErrors = schemas.check(parameters, json.writeValueAsString(parameters).length());
    errors.addAll(schemaErrors);
    if (tool.url() == null) {
      errors.add(new FieldError("url", "must not be null"));
    } else {
      List<FieldError> urlErrors = schemaErrors.isEmpty()
          ? UrlTemplates.check(tool.url(), ParameterSchemas.propertyNames(parameters))
          : UrlTemplates.check(tool.url(), UrlPlaceholders.names(tool.url())).stream()
              .filter(e -> !e.message().startsWith("placeholder"))
              .toList();
      errors.addAll(urlErrors.isEmpty() ? UrlTemplates.refusedTarget(tool.url(), guard) : urlErrors);
    }
    int timeoutMs = tool.timeoutMs() == null ? DEFAULT_TIMEOUT_MS : tool.timeoutMs();
    if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
      errors.add(new FieldError("timeout_ms", "must be between 1 and " + MAX_TIMEOUT_MS));
    }
    Integer approvalTimeout = approvalTimeout(tool.approvalTimeout(), errors);
    List<ValidTool.Header> headers = headers(tool.headers(), storedSecrets, errors, RESERVED_HEADERS);
    failOn(errors);
    return new ValidTool(
        tool.name(), tool.description(), tool.method(), tool.url(), headers, parameters, timeoutMs,
        Boolean.TRUE.equals(tool.requiresApproval()), approvalTimeout, Boolean.TRUE.equals(tool.idempotent()));
  }

  /**
   * Validates a patch of a tool of an MCP server, whose definition is the server's: only
   * {@code name}, {@code timeout_ms}, {@code requires_approval} and {@code approval_timeout} may be
   * set (the result already merged into the stored values); anything else present is refused.
   *
   * @param approvalTimeout the merged value, an ISO-8601 duration or null
   * @return the approval timeout in seconds, or null
   * @throws ApiException VALIDATION_FAILED listing every invalid field
   */
  static Integer validateMcpPatch(
      ToolRequests.PatchTool patch, String name, int timeoutMs, String approvalTimeout) {
    List<FieldError> errors = new ArrayList<>();
    String fixed = "is set by the tool's MCP server; refresh the server to change it";
    if (patch.description() != null) {
      errors.add(new FieldError("description", fixed));
    }
    if (patch.method() != null) {
      errors.add(new FieldError("method", fixed));
    }
    if (patch.url() != null) {
      errors.add(new FieldError("url", fixed));
    }
    if (patch.headers() != null) {
      errors.add(new FieldError("headers", fixed));
    }
    if (patch.parameters() != null) {
      errors.add(new FieldError("parameters", fixed));
    }
    if (patch.idempotent() != null) {
      errors.add(new FieldError("idempotent", fixed));
    }
    if (!NAME.matcher(name).matches()) {
      errors.add(new FieldError("name", "must be 1 to 64 of a-z, 0-9, _ and -"));
    }
    if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
      errors.add(new FieldError("timeout_ms", "must be between 1 and " + MAX_TIMEOUT_MS));
    }
    Integer seconds = approvalTimeout(approvalTimeout, errors);
    failOn(errors);
    return seconds;
  }

  /** @throws ApiException VALIDATION_FAILED listing the errors, sorted, when there are any */
  static void failOn(List<FieldError> errors) {
    if (errors.isEmpty()) {
      return;
    }
    List<FieldError> sorted = errors.stream()
        .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
        .toList();
    String detail = sorted.size() == 1
        ? "Field '" + sorted.get(0).field() + "' " + sorted.get(0).message()
        : sorted.size() + " fields are invalid";
    throw ApiException.validation(detail, sorted);
  }

  private JsonNode defaultParameters() {
    return json.readTree("{\"type\":\"object\",\"properties\":{}}");
  }

  private static Integer approvalTimeout(String value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    try {
      Duration duration = Duration.parse(value);
      if (!ApprovalTimeouts.allowed(duration)) {
        errors.add(new FieldError("approval_timeout", "must be between PT1M and P30D"));
        return null;
      }
      return Math.toIntExact(duration.toSeconds());
    } catch (DateTimeParseException e) {
      errors.add(new FieldError("approval_timeout", "must be an ISO-8601 duration such as PT30M or P3D"));
      return null;
    }
  }

  /**
   * Header values as tools and MCP servers take them: a string or {@code {"secret": "..."}}, or
   * {@code {"secret": true}} to keep a stored secret ({@code storedSecrets} by name).
   *
   * @param reserved lower-case names the client sets itself, refused
   */
  static List<ValidTool.Header> headers(
      Map<String, JsonNode> requested, Map<String, String> storedSecrets, List<FieldError> errors, Set<String> reserved) {
    if (requested == null) {
      return List.of();
    }
    if (requested.size() > MAX_HEADERS) {
      errors.add(new FieldError("headers", "must have at most " + MAX_HEADERS + " entries"));
      return List.of();
    }
    List<ValidTool.Header> headers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, JsonNode> entry : requested.entrySet()) {
      String name = entry.getKey();
      String field = "headers." + name;
      JsonNode value = entry.getValue();
      if (!HEADER_NAME.matcher(name).matches()) {
        errors.add(new FieldError(field, "is not a valid header name"));
        continue;
      }
      if (reserved.contains(name.toLowerCase(Locale.ROOT))) {
        errors.add(new FieldError(field, "is set by the HTTP client and cannot be configured"));
        continue;
      }
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        errors.add(new FieldError(field, "is given twice (header names ignore case)"));
        continue;
      }
      if (value != null && value.isString()) {
        if (validValue(value.asString(), field, errors)) {
          headers.add(new ValidTool.Header(name, value.asString(), null, null));
        }
        continue;
      }
      JsonNode secret = value != null && value.isObject() && value.size() == 1 ? value.get("secret") : null;
      if (secret != null && secret.isString()) {
        if (validValue(secret.asString(), field, errors)) {
          headers.add(new ValidTool.Header(name, null, secret.asString(), null));
        }
      } else if (secret != null && secret.isBoolean() && secret.booleanValue()) {
        String sealed = storedSecrets.get(name);
        if (sealed == null) {
          errors.add(new FieldError(field, "has no stored secret to keep; send {\"secret\": \"<value>\"}"));
        } else {
          headers.add(new ValidTool.Header(name, null, null, sealed));
        }
      } else {
        errors.add(new FieldError(field, "must be a string or {\"secret\": \"<value>\"}"));
      }
    }
    return headers;
  }

  private static boolean validValue(String value, String field, List<FieldError> errors) {
    if (value.length() > MAX_HEADER_VALUE) {
      errors.add(new FieldError(field, "must be at most " + MAX_HEADER_VALUE + " characters"));
      return false;
    }
    if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
      errors.add(new FieldError(field, "must not contain line breaks or NUL"));
      return false;
    }
    if (value.isEmpty()) {
      errors.add(new FieldError(field, "must not be empty"));
      return false;
    }
    return true;
  }
}
