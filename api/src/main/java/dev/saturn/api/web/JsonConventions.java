package dev.saturn.api.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's JSON dialect, applied to the application's one JsonMapper. Unknown properties are
 * rejected so a misspelt field fails loudly instead of silently taking its default. Ordered after
 * Boot's own customizer, which turns that check off and would otherwise win.
 */
@Component
public class JsonConventions implements JsonMapperBuilderCustomizer, Ordered {

  @Override
  public void customize(JsonMapper.Builder builder) {
    builder
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  @Override
  public int getOrder() {
    return 10;
  }
}
