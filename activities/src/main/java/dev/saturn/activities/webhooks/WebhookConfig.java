package dev.saturn.activities.webhooks;

import dev.saturn.activities.tracing.HttpClientSpans;
import dev.saturn.common.outbound.SsrfGuard;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class WebhookConfig {

  @Bean
  WebhookSender webhookSender(SsrfGuard guard, Clock clock, HttpClientSpans spans) {
    // The span names the receiver's host, never its URL's path: many receivers keep a token there.
    return new WebhookSender(guard, clock, (method, uri, template) -> spans.start(method, uri, "{webhook-endpoint}"));
  }
}
