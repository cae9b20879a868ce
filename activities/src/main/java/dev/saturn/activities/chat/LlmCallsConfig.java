package dev.saturn.activities.chat;

import dev.saturn.activities.common.HeartbeatingPool;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The bounded pool of model calls; closed with the context, after the worker has drained. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({LlmCallProperties.class, AnswerStreamProperties.class})
public class LlmCallsConfig {

  public static final String POOL = "llmCallPool";

  @Bean(name = POOL, destroyMethod = "close")
  public HeartbeatingPool llmCallPool(LlmCallProperties properties) {
    return new HeartbeatingPool("llm-call", properties.threads(), properties.queue());
  }
}
