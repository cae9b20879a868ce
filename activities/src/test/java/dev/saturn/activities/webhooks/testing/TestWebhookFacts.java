package dev.saturn.activities.webhooks.testing;

import dev.saturn.activities.webhooks.WebhookFacts;
import dev.saturn.db.channels.ChannelRepository;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.webhooks.EventOutbox;
import dev.saturn.db.webhooks.WebhookEndpointRepository;
import dev.saturn.db.webhooks.WebhookEventRepository;
import java.time.Clock;
import org.jooq.DSLContext;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * {@link WebhookFacts} over a test database, as Spring wires it; listeners hear of each new event
 * an endpoint is for, after its commit ({@link #subscribe} makes one).
 */
public final class TestWebhookFacts {

  private TestWebhookFacts() {}

  public static WebhookFacts over(DSLContext db, Clock clock, EventOutbox.Listener... listeners) {
    return new WebhookFacts(outbox(db, clock, listeners), new TurnRepository(db, clock), new ChannelRepository(db));
  }

  public static EventOutbox outbox(DSLContext db, Clock clock, EventOutbox.Listener... listeners) {
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    for (int i = 0; i < listeners.length; i++) {
      beans.addBean("listener" + i, listeners[i]);
    }
    return new EventOutbox(new WebhookEventRepository(db), new WebhookEndpointRepository(db),
        beans.getBeanProvider(EventOutbox.Listener.class), clock);
  }

  /** An active webhook endpoint of the company listening to {@code events} (its URL and secret never used). */
  public static String subscribe(DSLContext db, dev.saturn.db.common.CompanyId company, String... events) {
    String id = dev.saturn.db.common.Ids.newId();
    java.time.Instant now = java.time.Instant.now();
    new WebhookEndpointRepository(db).insert(company, new dev.saturn.db.webhooks.WebhookEndpointRow(id, company.value(),
        dev.saturn.db.webhooks.WebhookEndpointRow.WEBHOOK, "https://hooks.example.test/" + id, null, java.util.List.of(events),
        dev.saturn.db.webhooks.WebhookEndpointRow.ACTIVE, null, null, "v1:unused", null, null, null, null, now, now));
    return id;
  }
}
