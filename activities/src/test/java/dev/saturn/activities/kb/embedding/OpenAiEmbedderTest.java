package dev.saturn.activities.kb.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.saturn.activities.kb.KbProperties;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenAiEmbedder} against a wire-level stand-in of OpenAI's {@code POST /v1/embeddings}: the
 * request JSON it sends and the response JSON it reads are the documented format.
 */
class OpenAiEmbedderTest {

  static final ObjectMapper JSON = new ObjectMapper();

  HttpServer server;
  final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  volatile int answerDimension = 4;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/embeddings", exchange -> {
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      requests.add(body);
      authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      ObjectNode root = JSON.createObjectNode();
      root.put("object", "list");
      root.put("model", body.path("model").asText());
      ArrayNode data = root.putArray("data");
      int index = 0;
      for (JsonNode input : body.path("input")) {
        ObjectNode item = data.addObject();
        item.put("object", "embedding");
        item.put("index", index++);
        ArrayNode vector = item.putArray("embedding");
        for (int d = 0; d < answerDimension; d++) {
          vector.add(input.asText().length() + d / 10.0);
        }
      }
      root.putObject("usage").put("prompt_tokens", 7).put("total_tokens", 7);
      byte[] bytes = root.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  OpenAiEmbedder embedder(String apiKey) {
    return new OpenAiEmbedder(new KbProperties.OpenAi(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", apiKey, "text-embedding-3-small", 4,
        Duration.ofSeconds(5)));
  }

  @Test
  void givenTexts_whenEmbedded_itShouldSendModelDimensionsAndInputsAndReturnVectorsInOrder() {
    List<float[]> vectors = embedder("sk-test").embed(List.of("a", "bbb"));

    assertThat(vectors).hasSize(2);
    assertThat(vectors.get(0)[0]).isEqualTo(1f);
    assertThat(vectors.get(1)[0]).isEqualTo(3f);
    JsonNode request = requests.get(0);
    assertThat(request.path("model").asText()).isEqualTo("text-embedding-3-small");
    assertThat(request.path("dimensions").asInt()).isEqualTo(4);
    assertThat(request.path("input")).extracting(JsonNode::asText).containsExactly("a", "bbb");
    assertThat(authorizations).containsExactly("Bearer sk-test");
  }

  @Test
  void givenAConfiguredModel_whenAsked_itShouldNameItsSpaceByModelAndDimension() {
    OpenAiEmbedder embedder = embedder("");

    assertThat(embedder.space().key()).isEqualTo("text_embedding_3_small_4");
    assertThat(embedder.exactTokenCounts()).isFalse();
    assertThat(embedder.provider()).isEqualTo("openai");
  }

  @Test
  void givenAServerThatAnswersAnotherDimension_whenEmbedding_itShouldRefuseToMixSpaces() {
    answerDimension = 3;

    assertThatThrownBy(() -> embedder("sk-test").embed(List.of("a")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned 3 dimensions, configured 4");
  }
}
