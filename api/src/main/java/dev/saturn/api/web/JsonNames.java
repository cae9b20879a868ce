package dev.saturn.api.web;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.PropertyNamingStrategy;
import tools.jackson.databind.introspect.BeanPropertyDefinition;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the Java property paths that validators report ({@code tools[0].maxCalls}) into the JSON
 * paths the client sent ({@code tools[0].max_calls}). Asking the mapper itself means
 * {@code @JsonProperty} renames and per-class naming are honoured, not just the global strategy.
 */
final class JsonNames {

  private final JsonMapper mapper;
  private final Map<JavaType, Map<String, BeanPropertyDefinition>> propertiesByType =
      new ConcurrentHashMap<>();

  JsonNames(JsonMapper mapper) {
    this.mapper = mapper;
  }

  /** {@code root} may be {@code null}; then each segment is only renamed by the strategy. */
  String path(Class<?> root, String javaPath) {
    if (javaPath == null || javaPath.isEmpty()) {
      return javaPath;
    }
    JavaType type = root == null ? null : mapper.constructType(root);
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < javaPath.length()) {
      char c = javaPath.charAt(i);
      if (c == '.') {
        i++;
      } else if (c == '[') {
        int close = javaPath.indexOf(']', i);
        int end = close < 0 ? javaPath.length() : close + 1;
        out.append(javaPath, i, end);
        type = type != null && type.isContainerType() ? type.getContentType() : null;
        i = end;
      } else {
        int end = i;
        while (end < javaPath.length() && ".[".indexOf(javaPath.charAt(end)) < 0) {
          end++;
        }
        String name = javaPath.substring(i, end);
        BeanPropertyDefinition property = type == null ? null : properties(type).get(name);
        if (!out.isEmpty()) {
          out.append('.');
        }
        out.append(property != null ? property.getName() : byStrategy(name));
        type = property != null ? property.getPrimaryType() : null;
        i = end;
      }
    }
    return out.toString();
  }

  /**
   * The JSON path of a bean-validation violation. For method validation the path starts with the
   * method and parameter; the parameter's type becomes the root and, when the constraint is on the
   * parameter itself, its name is the field.
   */
  String path(ConstraintViolation<?> violation) {
    Class<?> root = violation.getRootBeanClass();
    List<Class<?>> parameterTypes = List.of();
    String parameterName = "";
    StringBuilder javaPath = new StringBuilder();
    for (Path.Node node : violation.getPropertyPath()) {
      ElementKind kind = node.getKind();
      if (kind == ElementKind.METHOD) {
        parameterTypes = node.as(Path.MethodNode.class).getParameterTypes();
      } else if (kind == ElementKind.CONSTRUCTOR) {
        parameterTypes = node.as(Path.ConstructorNode.class).getParameterTypes();
      } else if (kind == ElementKind.PARAMETER) {
        int index = node.as(Path.ParameterNode.class).getParameterIndex();
        root = index < parameterTypes.size() ? parameterTypes.get(index) : null;
        parameterName = node.getName();
      } else if (kind == ElementKind.PROPERTY || kind == ElementKind.CONTAINER_ELEMENT) {
        if (node.isInIterable()) {
          Object at = node.getIndex() != null ? node.getIndex() : node.getKey();
          javaPath.append('[').append(at == null ? "" : at).append(']');
        }
        if (kind == ElementKind.PROPERTY) {
          javaPath.append(javaPath.isEmpty() ? "" : ".").append(node.getName());
        }
      }
    }
    return javaPath.isEmpty() ? parameterName : path(root, javaPath.toString());
  }

  /** Jackson's own path is already in JSON names, it only needs printing. */
  static String path(List<JacksonException.Reference> references) {
    StringBuilder out = new StringBuilder();
    for (JacksonException.Reference reference : references) {
      if (reference.getPropertyName() != null) {
        out.append(out.isEmpty() ? "" : ".").append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        out.append('[').append(reference.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private Map<String, BeanPropertyDefinition> properties(JavaType type) {
    if (type.isContainerType()
        || type.isPrimitive()
        || type.isEnumType()
        || type.getRawClass().getName().startsWith("java.")) {
      return Map.of();
    }
    return propertiesByType.computeIfAbsent(type, this::introspect);
  }

  private Map<String, BeanPropertyDefinition> introspect(JavaType type) {
    try {
      return mapper
          ._deserializationContext()
          .introspectBeanDescription(type)
          .findProperties()
          .stream()
          .collect(
              Collectors.toUnmodifiableMap(
                  BeanPropertyDefinition::getInternalName, Function.identity(), (a, b) -> a));
    } catch (RuntimeException e) {
      // A type Jackson cannot describe still gets strategy-renamed names: close enough for a hint.
      return Map.of();
    }
  }

  private String byStrategy(String javaName) {
    DeserializationConfig config = mapper.deserializationConfig();
    PropertyNamingStrategy strategy = config.getPropertyNamingStrategy();
    return strategy == null ? javaName : strategy.nameForField(config, null, javaName);
  }
}
