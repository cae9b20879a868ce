package dev.saturn.activities.webhooks;

import dev.saturn.common.outbound.SsrfGuard;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class WebhookConfig {

  @Bean
  WebhookSender webhookSender(SsrfGuard guard, Clock clock) {
    return new WebhookSender(guard, clock);
  }
}
