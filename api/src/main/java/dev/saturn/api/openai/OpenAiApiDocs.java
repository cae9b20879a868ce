package dev.saturn.api.openai;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API document says what the handlers of this package answer on error: OpenAI's error body. */
@Configuration(proxyBeanMethods = false)
class OpenAiApiDocs {

  static final String SCHEMA = "OpenAiError";

  @Bean
  GlobalOperationCustomizer openAiErrors() {
    return (operation, handler) -> {
      if (handler.getBeanType().getPackageName().equals(OpenAiApiDocs.class.getPackageName())) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        responses.addApiResponse("default", new ApiResponse()
            .description("An error in OpenAI's shape: `error.code` is a code of the registry in docs/error_codes.md, "
                + "in lower case; the request id is in the X-Request-Id header")
            .content(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + SCHEMA)))));
        operation.setResponses(responses);
      }
      return operation;
    };
  }

  @Bean
  GlobalOpenApiCustomizer openAiErrorSchema() {
    return openApi -> {
      ResolvedSchema error = ModelConverters.getInstance()
          .resolveAsResolvedSchema(new AnnotatedType(OpenAiError.class).resolveAsRef(false));
      if (error.referencedSchemas != null) {
        error.referencedSchemas.forEach(openApi.getComponents()::addSchemas);
      }
      openApi.getComponents().addSchemas(SCHEMA, error.schema);
      unions(openApi.getComponents().getSchemas());
    };
  }

  /**
   * Members that OpenAI lets be a string or something else arrive as free-form JSON; the document
   * says what they may be instead of "object".
   */
  private static void unions(Map<String, Schema> schemas) {
    union(schemas, "ChatCompletionRequest", "tool_choice", "none or auto; a named tool is refused", "string", "object");
    union(schemas, "ChatCompletionRequest", "function_call", "none or auto; a named function is refused",
        "string", "object");
    union(schemas, "ChatCompletionRequest", "stop", "refused unless empty", "string", "array");
    union(schemas, "ResponseRequest", "input",
        "a string, or a list of messages whose last user message is the turn's input", "string", "array");
    union(schemas, "ResponseRequest", "tool_choice", "none or auto; a named tool is refused", "string", "object");
    union(schemas, "ResponseRequest", "conversation", "refused: continue a session with previous_response_id",
        "string", "object");
  }

  private static void union(
      Map<String, Schema> schemas, String schema, String property, String description, String... types) {
    Schema<?> owner = schemas == null ? null : schemas.get(schema);
    if (owner != null && owner.getProperties() != null && owner.getProperties().containsKey(property)) {
      owner.getProperties().put(property,
          new Schema<>().types(new LinkedHashSet<>(List.of(types))).description(description));
    }
  }
}
