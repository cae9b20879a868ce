package dev.saturn.api.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.common.mcp.McpClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What of a server's listing becomes SATURN tools, and what is skipped and why (no database: reading only). */
class McpListingsTest {

  static final ObjectMapper JACKSON2 = new ObjectMapper();
  final McpListings listings = new McpListings(null, new ParameterSchemas(), JsonMapper.builder().build());

  static McpClient.ListedTool tool(String name, String description, String schema, Boolean readOnly, Boolean idempotent)
      throws Exception {
    return new McpClient.ListedTool(name, "Title of " + name, description, schema == null ? null : JACKSON2.readTree(schema),
        readOnly, idempotent);
  }

  @Test
  void givenAListing_whenRead_itShouldTakeUsableToolsAndSkipTheRestSayingWhy() throws Exception {
    McpListings.Listed listed = listings.read(new McpClient.ServerInfo("dictionary", "1.4", "2025-06-18"), List.of(
        tool("lookup", "Looks a word up.",
            "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"object\","
                + " \"properties\": {\"word\": {\"type\": \"string\"}}}", null, null),
        tool("ping", null, null, true, null),
        tool("render", "Draws.", "{\"type\": \"array\"}", null, null),
        tool("grep", "Searches.", "{\"type\": \"object\", \"properties\": {\"q\": {\"type\": \"string\", \"pattern\": \"(?=x)\"}}}",
            null, null),
        tool("lookup", "Again.", "{\"type\": \"object\"}", null, null),
        tool("price", "Prices.", "{\"type\": \"object\"}", false, true)), 3);

    assertThat(listed.serverInfoJson()).contains("\"protocol_version\":\"2025-06-18\"").contains("\"name\":\"dictionary\"");
    assertThat(listed.candidates()).extracting(McpListings.Candidate::remoteName).containsExactly("lookup", "ping", "price");
    McpListings.Candidate lookup = listed.candidates().get(0);
    assertThat(lookup.parameters().has("$schema")).isFalse();
    assertThat(lookup.idempotent()).isFalse();
    McpListings.Candidate ping = listed.candidates().get(1);
    assertThat(ping.description()).isEqualTo("Title of ping");
    assertThat(ping.parameters().toString()).isEqualTo("{\"type\":\"object\",\"properties\":{}}");
    assertThat(ping.idempotent()).as("readOnlyHint").isTrue();
    assertThat(listed.candidates().get(2).idempotent()).as("idempotentHint").isTrue();
    assertThat(listed.skipped()).extracting(McpServerView.Skipped::name).containsExactly("render", "grep", "lookup");
    assertThat(listed.skipped().get(0).reason()).startsWith("inputSchema.type must be \"object\"");
    assertThat(listed.skipped().get(1).reason()).startsWith("inputSchema.properties.q.pattern is not a pattern SATURN can run");
    assertThat(listed.skipped().get(2).reason()).isEqualTo("listed twice");
  }

  @Test
  void givenMoreToolsThanAllowed_whenRead_itShouldSkipTheRest() throws Exception {
    McpListings.Listed listed = listings.read(new McpClient.ServerInfo("s", "1", "2025-11-25"), List.of(
        tool("a", "", "{\"type\": \"object\"}", null, null),
        tool("b", "", "{\"type\": \"object\"}", null, null)), 1);

    assertThat(listed.candidates()).hasSize(1);
    assertThat(listed.skipped()).extracting(McpServerView.Skipped::reason).containsExactly("the server lists more than 1 tools");
  }

  @Test
  void givenServerToolNames_whenSanitized_itShouldKeepOnlyWhatToolNamesMayHold() {
    assertThat(McpListings.sanitize("Get.Weather/v2")).isEqualTo("get_weather_v2");
    assertThat(McpListings.sanitize("search-docs_2")).isEqualTo("search-docs_2");
  }
}
