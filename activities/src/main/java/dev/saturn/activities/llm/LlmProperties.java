package dev.saturn.activities.llm;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Model backends, bound from {@code saturn.llm.*}. */
@ConfigurationProperties("saturn.llm")
public record LlmProperties(
    @DefaultValue OpenAi openai, @DefaultValue Ollama ollama, @DefaultValue Offline offline) {

  @ConstructorBinding
  public LlmProperties {
    // Constructed by hand (tests, non-Spring wiring) the nested records may be missing.
    if (openai == null) {
      openai = new OpenAi(null, null, null, null);
    }
    if (ollama == null) {
      ollama = new Ollama(null, null, null);
    }
    if (offline == null) {
      offline = new Offline(null);
    }
  }

  /** The default for null; a zero or negative timeout fails the start, naming the setting. */
  static Duration positive(Duration timeout, Duration fallback, String setting) {
    Duration value = timeout == null ? fallback : timeout;
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(setting + " must be positive: " + value);
    }
    return value;
  }

  public LlmProperties(OpenAi openai) {
    this(openai, null, null);
  }

  public LlmProperties(OpenAi openai, Ollama ollama) {
    this(openai, ollama, null);
  }

  /**
   * An Ollama server, spoken to in its own API ({@code /api/chat}), bound from
   * {@code saturn.llm.ollama.*}.
   *
   * @param baseUrl the server's root, without {@code /api}, e.g. {@code http://localhost:11434}
   * @param model used when an agent does not name one
   * @param timeout for connecting and for the whole answer (a cold model load counts)
   */
  public record Ollama(
      @DefaultValue(DEFAULT_BASE_URL) String baseUrl,
      @DefaultValue(DEFAULT_MODEL) String model,
      @DefaultValue("120s") Duration timeout) {

    public static final String DEFAULT_BASE_URL = "http://localhost:11434";
    public static final String DEFAULT_MODEL = "llama3.1";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    public Ollama {
      baseUrl = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl.strip();
      model = model == null || model.isBlank() ? DEFAULT_MODEL : model.strip();
      timeout = positive(timeout, DEFAULT_TIMEOUT, "saturn.llm.ollama.timeout");
    }
  }

  /**
   * The offline provider, which answers without a model.
   *
   * @param streamPace the pause between the pieces it streams its answer in (three words each), so
   *     the default install shows an answer being written; 0 streams them without a pause
   */
  public record Offline(@DefaultValue("15ms") Duration streamPace) {

    public static final Duration DEFAULT_STREAM_PACE = Duration.ofMillis(15);

    public Offline {
      if (streamPace == null) {
        streamPace = DEFAULT_STREAM_PACE;
      }
      if (streamPace.isNegative()) {
        throw new IllegalArgumentException("saturn.llm.offline.stream-pace must not be negative: " + streamPace);
      }
    }
  }

  /**
   * Any server speaking OpenAI chat-completions JSON (OpenAI, vLLM, llama.cpp, Ollama's /v1).
   *
   * @param baseUrl up to and including the version segment, e.g. {@code http://localhost:8000/v1}
   * @param apiKey blank for servers without authentication
   * @param model used when an agent does not name one
   * @param timeout for connecting and for the whole answer; a model call is never retried in
   *     process (Temporal retries the activity)
   */
  public record OpenAi(
      @DefaultValue(DEFAULT_BASE_URL) String baseUrl,
      String apiKey,
      @DefaultValue(DEFAULT_MODEL) String model,
      @DefaultValue("60s") Duration timeout) {

    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final String DEFAULT_MODEL = "gpt-4o-mini";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public OpenAi {
      // Blank as well as null falls back: env mappings like ${SATURN_OPENAI_MODEL:} bind "".
      baseUrl = isBlank(baseUrl) ? DEFAULT_BASE_URL : baseUrl.strip();
      apiKey = isBlank(apiKey) ? "" : apiKey.strip();
      model = isBlank(model) ? DEFAULT_MODEL : model.strip();
      timeout = positive(timeout, DEFAULT_TIMEOUT, "saturn.llm.openai.timeout");
    }

    public boolean hasApiKey() {
      return !apiKey.isEmpty();
    }

    /** Masks the key: the generated record toString would put it into logs and dumps. */
    @Override
    public String toString() {
      return "OpenAi[baseUrl="
          + baseUrl
          + ", apiKey="
          + (hasApiKey() ? "****" : "<none>")
          + ", model="
          + model
          + ", timeout="
          + timeout
          + "]";
    }

    private static boolean isBlank(String value) {
      return value == null || value.isBlank();
    }
  }
}
