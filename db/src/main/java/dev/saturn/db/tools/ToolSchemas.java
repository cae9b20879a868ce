package dev.saturn.db.tools;

import com.google.re2j.Pattern;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * The one way SATURN reads tool parameter schemas, for the API (on save) and the worker (on every
 * call): JSON Schema draft 2020-12, remote references never fetched, and every {@code pattern} and
 * {@code patternProperties} key run by {@link SchemaPatterns} (RE2, linear time) instead of
 * Java's backtracking engine, since model output is matched against what tool authors wrote.
 */
public final class ToolSchemas {

  private ToolSchemas() {}

  /** A new registry; it caches what it loads, so keep one per component. */
  public static SchemaRegistry registry() {
    return SchemaRegistry.withDefaultDialect(
        SpecificationVersion.DRAFT_2020_12,
        builder -> builder
            .schemaLoader(loader -> loader.fetchRemoteResources(false))
            .schemaRegistryConfig(SchemaRegistryConfig.builder().regularExpressionFactory(Re2.FACTORY).build()));
  }

  /** networknt's hook for the regex engine; {@code matches} means "found anywhere", as JSON Schema's pattern does. */
  private static final class Re2 implements RegularExpressionFactory {
    static final Re2 FACTORY = new Re2();

    @Override
    public RegularExpression getRegularExpression(String regex) {
      Pattern pattern = SchemaPatterns.compile(regex);
      return value -> pattern.matcher(value).find();
    }
  }
}
