package dev.saturn.app.contract;

import dev.saturn.api.identity.Requires;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** The application's own /v1 endpoints, read from its handler mappings: nothing is listed by hand. */
record Endpoints(List<Endpoint> all) {

  private static final Pattern VARIABLE = Pattern.compile("\\{([^}/:]+)(?::[^}]*)?}");

  record Endpoint(String method, String pattern, HandlerMethod handler) {

    List<String> variables() {
      List<String> names = new ArrayList<>();
      Matcher m = VARIABLE.matcher(pattern);
      while (m.find()) {
        names.add(m.group(1));
      }
      return names;
    }

    boolean isWrite() {
      return Set.of("POST", "PUT", "PATCH").contains(method);
    }

    boolean readsBody() {
      for (MethodParameter parameter : handler.getMethodParameters()) {
        if (parameter.hasParameterAnnotation(RequestBody.class) || parameter.hasParameterAnnotation(RequestPart.class)) {
          return true;
        }
      }
      return false;
    }

    /** The JSON names of the string members of the request body's record (top level only). */
    List<String> stringBodyFields() {
      List<String> fields = new ArrayList<>();
      for (MethodParameter parameter : handler.getMethodParameters()) {
        Class<?> type = parameter.getParameterType();
        if (parameter.hasParameterAnnotation(RequestBody.class) && type.isRecord()) {
          for (var component : type.getRecordComponents()) {
            if (component.getType() == String.class) {
              fields.add(component.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT));
            }
          }
        }
      }
      return fields;
    }

    Set<String> queryParameters() {
      Set<String> names = new TreeSet<>();
      for (MethodParameter parameter : handler.getMethodParameters()) {
        RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
        if (param != null) {
          String name = !param.name().isEmpty() ? param.name() : param.value();
          parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
          names.add(name.isEmpty() ? parameter.getParameterName() : name);
        }
      }
      return names;
    }

    /** Operator-token endpoints ({@code @Requires.Operator}: companies, plans, the codec); every other takes a company credential. */
    boolean isOperatorOnly() {
      return handler.hasMethodAnnotation(Requires.Operator.class);
    }

    /**
     * The path with every variable filled from {@code values}.
     *
     * @throws AssertionError naming the first variable {@code values} cannot fill
     */
    String path(Function<String, String> values) {
      Matcher m = VARIABLE.matcher(pattern);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String value = values.apply(m.group(1));
        if (value == null) {
          throw new AssertionError(missingProvider(m.group(1)));
        }
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      m.appendTail(out);
      return out.toString();
    }

    String missingProvider(String variable) {
      return "add an id provider for " + variable + " used by " + this
          + " (IdProviders.BY_VARIABLE in app/src/test/java/dev/saturn/app/contract)";
    }

    @Override
    public String toString() {
      return method + " " + pattern;
    }
  }

  static Endpoints of(RequestMappingHandlerMapping mappings) {
    return of(mappings, (pattern, handler) -> pattern.startsWith("/v1/"));
  }

  /**
   * Our handlers outside /v1 (the MCP server, health and readiness): not REST resources, so the
   * suites about bodies, ids and lists leave them out, but every path rule applies to them.
   */
  static Endpoints beyondV1(RequestMappingHandlerMapping mappings) {
    return of(mappings, (pattern, handler) -> !pattern.startsWith("/v1/")
        && handler.getBeanType().getName().startsWith("dev.saturn.")
        && !org.springframework.boot.webmvc.error.ErrorController.class.isAssignableFrom(handler.getBeanType()));
  }

  private static Endpoints of(
      RequestMappingHandlerMapping mappings, java.util.function.BiPredicate<String, HandlerMethod> included) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
      RequestMappingInfo info = entry.getKey();
      Set<String> patterns = info.getPatternValues();
      var methods = info.getMethodsCondition().getMethods();
      for (String pattern : patterns) {
        if (!included.test(pattern, entry.getValue())) {
          continue;
        }
        if (methods.isEmpty()) {
          throw new AssertionError("endpoint " + pattern + " of " + entry.getValue().getShortLogMessage()
              + " accepts every HTTP method: map it to the methods it serves");
        }
        methods.forEach(method -> endpoints.add(new Endpoint(method.name(), pattern, entry.getValue())));
      }
    }
    endpoints.sort(Comparator.comparing(Endpoint::pattern).thenComparing(Endpoint::method));
    return new Endpoints(List.copyOf(endpoints));
  }

  List<Endpoint> withVariables() {
    return all.stream().filter(e -> !e.variables().isEmpty()).toList();
  }

  List<Endpoint> gets() {
    return all.stream().filter(e -> e.method().equals("GET")).toList();
  }

  List<Endpoint> writes() {
    return all.stream().filter(Endpoint::isWrite).toList();
  }

  /**
   * Every variable of every endpoint that {@link IdProviders} cannot fill, one message each; empty
   * when the registry covers the API.
   */
  List<String> unknownVariables() {
    Map<String, String> problems = new LinkedHashMap<>();
    for (Endpoint endpoint : all) {
      for (String variable : endpoint.variables()) {
        if (!IdProviders.BY_VARIABLE.containsKey(variable)) {
          problems.putIfAbsent(endpoint + " " + variable, endpoint.missingProvider(variable));
        }
      }
    }
    return List.copyOf(problems.values());
  }
}
