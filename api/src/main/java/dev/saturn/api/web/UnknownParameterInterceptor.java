package dev.saturn.api.web;

import dev.saturn.api.ApiController;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.RecordComponent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.annotation.ModelAttributeMethodProcessor;
import org.springframework.web.method.annotation.RequestParamMapMethodArgumentResolver;
import org.springframework.web.method.annotation.RequestParamMethodArgumentResolver;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Refuses a request to an {@link ApiController} whose query string names a parameter the handler does not read
 * ({@code ?limt=5}, {@code ?status=x} on a list that cannot filter), so a misspelt or unsupported
 * parameter fails loudly instead of being silently ignored. The known names are the handler's
 * request parameters and the properties of its model attributes, explicit or implicit; a handler
 * that takes a {@code @RequestParam Map} accepts anything. Only the query string is checked: a form body is
 * not parameters of ours, and reading it here would consume it.
 */
@Configuration(proxyBeanMethods = false)
public class UnknownParameterInterceptor implements HandlerInterceptor, WebMvcConfigurer {

  private final Map<HandlerMethod, Optional<Set<String>>> known = new ConcurrentHashMap<>();
  private final ObjectProvider<RequestMappingHandlerAdapter> adapters;

  public UnknownParameterInterceptor(ObjectProvider<RequestMappingHandlerAdapter> adapters) {
    this.adapters = adapters;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method)
        || !AnnotatedElementUtils.hasAnnotation(method.getBeanType(), ApiController.class)) {
      return true;
    }
    String query = request.getQueryString();
    if (query == null || query.isEmpty()) {
      return true;
    }
    Optional<Set<String>> accepted = known.computeIfAbsent(method, this::namesOf);
    if (accepted.isEmpty()) {
      return true;
    }
    Set<String> unknown = new LinkedHashSet<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (!accepted.get().contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw ApiException.validation(
          unknown.size() == 1
              ? "Query parameter '" + unknown.iterator().next() + "' is not known here"
              : unknown.size() + " query parameters are not known here",
          unknown.stream().map(name -> new FieldError(name, "is not a known query parameter")).toList());
    }
    return true;
  }

  /**
   * Empty: the handler takes any parameter. Each parameter is classified by the resolver MVC itself
   * would use, so implicit bindings (an unannotated {@code String status} is a request parameter, an
   * unannotated record a model attribute) count as well as annotated ones.
   */
  private Optional<Set<String>> namesOf(HandlerMethod method) {
    List<HandlerMethodArgumentResolver> resolvers = resolvers();
    Set<String> names = new HashSet<>();
    for (MethodParameter parameter : method.getMethodParameters()) {
      parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
      HandlerMethodArgumentResolver resolver = resolvers.stream()
          .filter(r -> r.supportsParameter(parameter)).findFirst().orElse(null);
      RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
      if (resolver instanceof RequestParamMapMethodArgumentResolver) {
        return Optional.empty();
      } else if (resolver instanceof RequestParamMethodArgumentResolver || (resolver == null && param != null)) {
        String name = param == null ? "" : !param.name().isEmpty() ? param.name() : param.value();
        names.add(name.isEmpty() ? parameter.getParameterName() : name);
      } else if (resolver instanceof ModelAttributeMethodProcessor
          || (resolver == null && parameter.hasParameterAnnotation(ModelAttribute.class))) {
        names.addAll(propertiesOf(parameter.getParameterType()));
      }
    }
    return Optional.of(Set.copyOf(names));
  }

  private List<HandlerMethodArgumentResolver> resolvers() {
    RequestMappingHandlerAdapter adapter = adapters.getIfUnique();
    List<HandlerMethodArgumentResolver> resolvers = adapter == null ? null : adapter.getArgumentResolvers();
    return resolvers == null ? List.of() : resolvers;
  }

  private static Set<String> propertiesOf(Class<?> type) {
    if (type.isRecord()) {
      return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.toSet());
    }
    try {
      Set<String> names = new HashSet<>();
      for (PropertyDescriptor property : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
        if (property.getWriteMethod() != null) {
          names.add(property.getName());
        }
      }
      return names;
    } catch (IntrospectionException e) {
      throw new IllegalStateException("cannot read the properties of " + type.getName(), e);
    }
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(this);
  }
}
