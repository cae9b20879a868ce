package dev.saturn.activities.webhooks.testing;

import dev.saturn.activities.webhooks.WebhookFacts;
import dev.saturn.db.channels.ChannelRepository;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.webhooks.EventOutbox;
import dev.saturn.db.webhooks.WebhookEventRepository;
import java.time.Clock;
import org.jooq.DSLContext;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** {@link WebhookFacts} over a test database, as Spring wires it; listeners hear of each new event after its commit. */
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
    return new EventOutbox(new WebhookEventRepository(db), beans.getBeanProvider(EventOutbox.Listener.class), clock);
  }
}
