package dev.saturn.app.e2e;

import dev.saturn.app.e2e.TestApp.Tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.identity.RolePermissions;
import dev.saturn.db.identity.Role;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every role × every protected {@code /v1} endpoint (and {@code /mcp}) the running application maps: 403
 * AUTH_FORBIDDEN exactly when the role's permissions (docs/security.md, {@link RolePermissions})
 * lack the one the handler's {@link Requires} names; anything else (but 401) when they have it.
 * Endpoints come from the application's own mappings, so a new endpoint is covered without
 * touching this test. Path ids are random and bodies empty objects: an allowed call may well end
 * in 400 or 404, which is after the permission check.
 */
class RoleMatrixTest extends BootedSaturn {

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  record Endpoint(String method, String pattern, Permission permission) {
    String path() {
      return pattern.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
      return method + " " + pattern + " (" + permission + ")";
    }
  }

  @Test
  void givenEachRole_whenCallingEveryProtectedEndpoint_itShouldBeForbiddenExactlyWhenTheRoleLacksThePermission() {
    List<Endpoint> endpoints = protectedEndpoints();
    assertThat(endpoints).extracting(Endpoint::toString).contains(
        "POST /v1/agents (AGENTS_WRITE)", "GET /v1/users (USERS_READ)", "POST /v1/users (USERS_MANAGE)",
        "POST /v1/agents/{agentId}/chat (CHAT)", "POST /mcp (CHAT)", "DELETE /mcp (CHAT)");

    Tenant tenant = newCompany("matrix");
    Map<Role, String> tokens = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      String email = "as-" + role.dbValue() + "@matrix.test";
      newUser(tenant, email, role.dbValue());
      tokens.put(role, token(tenant, email));
    }

    List<String> wrong = new ArrayList<>();
    for (Endpoint endpoint : endpoints) {
      for (Role role : Role.values()) {
        boolean allowed = RolePermissions.of(role).contains(endpoint.permission());
        boolean hasBody = Set.of("POST", "PUT", "PATCH").contains(endpoint.method());
        HttpJson.Response response =
            http().send(endpoint.method(), endpoint.path(), tokens.get(role), hasBody ? "{}" : null, Map.of());
        boolean forbidden = response.status() == 403 && "AUTH_FORBIDDEN".equals(response.errorCode());
        if (allowed ? response.status() == 403 || response.status() == 401 : !forbidden) {
          wrong.add(role.dbValue() + " " + endpoint + " → " + response.status() + " " + response.errorCode()
              + (allowed ? " (expected allowed)" : " (expected 403 AUTH_FORBIDDEN)"));
        }
      }
    }
    assertThat(wrong).as("role matrix mismatches").isEmpty();
  }

  @Test
  void givenEveryHandlerOfOurs_whenInspected_itShouldDeclareExactlyOneAccessRule() {
    List<String> wrong = new ArrayList<>();
    mappings.getHandlerMethods().forEach((info, handler) -> {
      if (!handler.getBeanType().getName().startsWith("dev.saturn.")
          || org.springframework.boot.webmvc.error.ErrorController.class.isAssignableFrom(handler.getBeanType())) {
        return;
      }
      long rules = java.util.stream.Stream.of(Requires.class, Requires.Public.class, Requires.Operator.class)
          .filter(handler::hasMethodAnnotation).count();
      boolean operatorAllowedAlone =
          handler.hasMethodAnnotation(Requires.OperatorAllowed.class) && !handler.hasMethodAnnotation(Requires.class);
      if (rules != 1 || operatorAllowedAlone) {
        wrong.add(handler.getShortLogMessage() + " declares " + rules + " rules");
      }
    });
    assertThat(wrong).as("handlers without exactly one of @Requires, @Requires.Public, @Requires.Operator").isEmpty();
  }

  private List<Endpoint> protectedEndpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
      Requires requires = entry.getValue().getMethodAnnotation(Requires.class);
      if (requires == null) {
        continue;
      }
      Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
      List<String> verbs = methods.isEmpty()
          ? List.of("GET", "POST")
          : methods.stream().map(m -> m.name().toUpperCase(Locale.ROOT)).toList();
      for (String pattern : entry.getKey().getPatternValues()) {
        if (pattern.startsWith("/v1/") || pattern.equals("/mcp")) {
          verbs.forEach(verb -> endpoints.add(new Endpoint(verb, pattern, requires.value())));
        }
      }
    }
    endpoints.sort((a, b) -> (a.pattern() + a.method()).compareTo(b.pattern() + b.method()));
    return endpoints;
  }
}
