package dev.saturn.activities.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.saturn.activities.llm.testing.OllamaStandIn;
import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.tracing.TracingConfig;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

class ChatProvidersTest {

  private final ApplicationContextRunner context =
      new ApplicationContextRunner().withUserConfiguration(LlmConfig.class);

  @Test
  void findsProvidersByName() {
    OfflineChatProvider offline = new OfflineChatProvider();
    ChatProviders providers = new ChatProviders(List.of(offline));

    assertThat(providers.get("offline")).isSameAs(offline);
    assertThat(providers.get(" Offline ")).isSameAs(offline);
  }

  @Test
  void anUnknownProviderIsANonRetryableValidationFailure() {
    ChatProviders providers = new ChatProviders(List.of(new OfflineChatProvider()));

    for (String name : new String[] {"anthropic", null}) {
      ApplicationFailure failure =
          catchThrowableOfType(ApplicationFailure.class, () -> providers.get(name));

      assertThat(failure.getType()).isEqualTo("VALIDATION_FAILED");
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage()).contains("available: offline");
    }
  }

  @Test
  void springBindsDefaultsWhenNothingIsConfigured() {
    context.run(
        ctx -> {
          LlmProperties.OpenAi openai = ctx.getBean(LlmProperties.class).openai();
          assertThat(openai.baseUrl()).isEqualTo("https://api.openai.com/v1");
          assertThat(openai.model()).isEqualTo("gpt-4o-mini");
          assertThat(openai.timeout()).isEqualTo(Duration.ofSeconds(60));
          assertThat(openai.hasApiKey()).isFalse();
          assertThat(ctx.getBean(ChatProviders.class).names()).containsExactly("offline", "ollama", "openai");
          assertThat(ctx.getBean(LlmProperties.class).ollama().baseUrl()).isEqualTo("http://localhost:11434");
        });
  }

  @Test
  void springWiresTheOpenAiProviderFromProperties() {
    try (OpenAiStandIn standIn = OpenAiStandIn.start()) {
      context
          .withPropertyValues(
              "saturn.llm.openai.base-url=" + standIn.baseUrl(),
              "saturn.llm.openai.api-key=",
              "saturn.llm.openai.model=qwen2.5-7b",
              "saturn.llm.openai.timeout=5s")
          .run(
              ctx -> {
                assertThat(ctx.getBean(LlmProperties.class).openai().timeout())
                    .isEqualTo(Duration.ofSeconds(5));

                ProviderReply reply =
                    ctx.getBean(ChatProviders.class)
                        .get("openai")
                        .complete(new ProviderRequest(null, null, List.of(PromptMessage.user("hi"))));

                assertThat(reply.model()).isEqualTo("qwen2.5-7b");
                assertThat(reply.content()).isEqualTo("stand-in reply #1 to: hi");
                assertThat(standIn.lastRequest().header("Authorization")).isNull();
              });
    }
  }

  @Test
  void springWiresTheOllamaProviderFromProperties() {
    try (OllamaStandIn standIn = OllamaStandIn.start()) {
      context
          .withPropertyValues(
              "saturn.llm.ollama.base-url=" + standIn.baseUrl(),
              "saturn.llm.ollama.model=llama3.2:1b",
              "saturn.llm.ollama.timeout=5s")
          .run(
              ctx -> {
                assertThat(ctx.getBean(LlmProperties.class).ollama().timeout()).isEqualTo(Duration.ofSeconds(5));

                ProviderReply reply = ctx.getBean(ChatProviders.class).get("Ollama")
                    .complete(new ProviderRequest(null, null, List.of(PromptMessage.user("hi"))));

                assertThat(reply.model()).isEqualTo("llama3.2:1b");
                assertThat(reply.content()).isEqualTo("ollama reply #1 to: hi");
              });
    }
  }

  @Test
  void propertiesNeverPrintTheKey() {
    LlmProperties properties =
        new LlmProperties(new LlmProperties.OpenAi(null, "sk-secret-value-123456", null, null));

    assertThat(properties.toString()).doesNotContain("sk-secret-value-123456").contains("****");
  }

  @Configuration(proxyBeanMethods = false)
  @ConfigurationPropertiesScan(basePackageClasses = LlmProperties.class)
  @Import({ChatProviders.class, OpenAiChatProvider.class, OllamaChatProvider.class, OfflineChatProvider.class, TracingConfig.class})
  static class LlmConfig {}
}
