package dev.saturn.api.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mail.MailSendException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

class PasswordResetMailTest {

  static final String TOKEN = "prt_c1_" + "a".repeat(32);
  static final Instant EXPIRES = Instant.parse("2026-12-07T20:00:00Z");

  /** Captures what would go to the mail server; fails every send when told to. */
  static class CapturingSender extends JavaMailSenderImpl {
    final List<SimpleMailMessage> sent = new ArrayList<>();
    boolean fail;

    @Override
    public void send(SimpleMailMessage... messages) {
      if (fail) {
        throw new MailSendException("connection refused");
      }
      sent.addAll(List.of(messages));
    }
  }

  static PasswordResetMail mail(JavaMailSender sender, String link) {
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    if (sender != null) {
      beans.addBean("mailSender", sender);
    }
    AuthProperties properties = new AuthProperties(null, Duration.ofMinutes(15),
        new AuthProperties.Login(20, 5, Duration.ofSeconds(30), Duration.ofMinutes(15), 1, 1, Duration.ofSeconds(5)),
        new AuthProperties.PasswordReset(Duration.ofHours(24), link, "noreply@saturn.test"));
    return new PasswordResetMail(beans.getBeanProvider(JavaMailSender.class), properties);
  }

  @Test
  void givenAMailSenderAndALinkTemplate_whenSending_itShouldMailTheUserTheLinkWithTheToken() {
    CapturingSender sender = new CapturingSender();

    boolean mailed = mail(sender, "https://saturn.test/console/reset?token={token}").send("ann@acme.test", TOKEN, EXPIRES);

    assertThat(mailed).isTrue();
    assertThat(sender.sent).hasSize(1);
    SimpleMailMessage message = sender.sent.get(0);
    assertThat(message.getTo()).containsExactly("ann@acme.test");
    assertThat(message.getFrom()).isEqualTo("noreply@saturn.test");
    assertThat(message.getText()).contains("https://saturn.test/console/reset?token=" + TOKEN).contains(EXPIRES.toString());
  }

  @Test
  void givenNoMailSender_whenSending_itShouldSendNothingAndSaySo() {
    assertThat(mail(null, "").send("ann@acme.test", TOKEN, EXPIRES)).isFalse();
  }

  @Test
  void givenAFailingMailServer_whenSending_itShouldNotThrowAndSayNotMailed() {
    CapturingSender sender = new CapturingSender();
    sender.fail = true;

    assertThat(mail(sender, "").send("ann@acme.test", TOKEN, EXPIRES)).isFalse();
  }

  @Test
  void givenNoLinkTemplate_whenWritingTheBody_itShouldCarryTheBareToken() {
    assertThat(mail(null, "").body(TOKEN, EXPIRES)).contains("Set it here: " + TOKEN + "\n");
  }
}
