package dev.saturn.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.media.ObjectSchema;
import org.springdoc.core.utils.SpringDocUtils;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import java.util.Locale;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}), generated
 * from the controllers by springdoc. springdoc describes models with swagger-core, which reads
 * Jackson 2 and not the application's Jackson 3 mapper, so the model resolver here is told the same
 * naming (snake_case) that {@link JsonConventions} gives the real mapper; {@code docs/openapi.json}
 * and the test that compares it with the served document keep the two honest.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

  static {
    // Free-form JSON members (a tool's parameter schema, an audit diff, an agent config) are
    // objects of any shape, not beans: describe them so, not by JsonNode's getters.
    SpringDocUtils.getConfig().replaceWithSchema(
        tools.jackson.databind.JsonNode.class,
        new ObjectSchema().additionalProperties(true).description("Free-form JSON object"));
  }

  static final String BEARER = "bearer";
  static final String PROBLEM = "Problem";
  static final String PROBLEM_JSON = "application/problem+json";

  @Bean
  OpenAPI saturnOpenApi() {
    return new OpenAPI()
        .info(new Info()
            .title("SATURN API")
            .version("v1")
            .description("Multi-tenant AI agents. Errors are RFC 7807 problems whose `code` is listed in"
                + " docs/error_codes.md (the OpenAI-compatible endpoints answer them in OpenAI's error body);"
                + " conventions (pagination, idempotency, limits) are in docs/api.md."))
        // Relative, so the document does not depend on the host or port it was fetched from.
        .servers(List.of(new Server().url("/")))
        .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
            .type(SecurityScheme.Type.HTTP)
            .scheme("bearer")
            .description("A company API key (`sat_...`) or a user's access token from `POST /v1/auth/login`;"
                + " `POST /v1/companies` takes the operator token instead.")))
        .addSecurityItem(new SecurityRequirement().addList(BEARER));
  }

  /** swagger-core's resolver with the wire naming of the real mapper. */
  @Bean
  ModelResolver snakeCaseModels() {
    ObjectMapper mapper = Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    return new ModelResolver(mapper);
  }

  /** Handlers without an {@code @Operation} summary get one from their method name. */
  @Bean
  GlobalOperationCustomizer summaries() {
    return (operation, handler) -> {
      if (operation.getSummary() == null || operation.getSummary().isBlank()) {
        operation.setSummary(humanised(handler.getMethod().getName()));
      }
      return operation;
    };
  }

  /**
   * Every /v1 operation may answer a problem (the status table per endpoint is in docs/api.md);
   * endpoints outside /v1 (health, readiness) need no credentials.
   */
  @Bean
  GlobalOpenApiCustomizer problemsAndPublicPaths() {
    return openApi -> {
      ResolvedSchema problem = ModelConverters.getInstance()
          .resolveAsResolvedSchema(new AnnotatedType(Problem.class).resolveAsRef(false));
      Components components = openApi.getComponents();
      if (problem.referencedSchemas != null) {
        problem.referencedSchemas.forEach(components::addSchemas);
      }
      components.addSchemas(PROBLEM, problem.schema);
      if (openApi.getPaths() == null) {
        return;
      }
      openApi.getPaths().forEach((path, item) -> item.readOperationsMap().values().forEach(operation -> {
        if (path.startsWith("/v1/")) {
          withProblemResponse(operation);
        } else {
          operation.setSecurity(List.of());
        }
      }));
    };
  }

  /** An operation whose errors have another shape ({@link ErrorDialect}) has declared its own default already. */
  private static void withProblemResponse(Operation operation) {
    ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
    if (responses.containsKey("default")) {
      return;
    }
    responses.addApiResponse("default", new ApiResponse()
        .description("An error: `code` is one of the registry in docs/error_codes.md")
        .content(new Content().addMediaType(PROBLEM_JSON,
            new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
    operation.setResponses(responses);
  }

  static String humanised(String methodName) {
    String words = methodName.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }
}
