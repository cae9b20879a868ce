package dev.saturn.api.identity;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * Mails a reset link to the user when Spring Boot has a mail sender ({@code spring.mail.host} set);
 * without one nothing is sent and the API's answer is the only copy of the token. A failed send is
 * logged, not fatal: the issuer still holds the token.
 */
@Component
class PasswordResetMail {

  private static final Logger log = LoggerFactory.getLogger(PasswordResetMail.class);

  private final ObjectProvider<JavaMailSender> sender;
  private final AuthProperties.PasswordReset settings;

  PasswordResetMail(ObjectProvider<JavaMailSender> sender, AuthProperties properties) {
    this.sender = sender;
    this.settings = properties.passwordReset();
  }

  /** @return whether the mail was handed to the mail server */
  boolean send(String to, String token, Instant expiresAt) {
    JavaMailSender mail = sender.getIfAvailable();
    if (mail == null) {
      return false;
    }
    SimpleMailMessage message = new SimpleMailMessage();
    message.setFrom(settings.mailFrom());
    message.setTo(to);
    message.setSubject("Set your SATURN password");
    message.setText(body(token, expiresAt));
    try {
      mail.send(message);
      return true;
    } catch (MailException e) {
      log.warn("password-reset mail to the user could not be sent: {}", e.getMessage());
      return false;
    }
  }

  String body(String token, Instant expiresAt) {
    String link = settings.link().isBlank() ? token : settings.link().replace("{token}", token);
    return "Someone with the right to manage your company's users asked for a new password for your account.\n\n"
        + "Set it here: " + link + "\n\n"
        + "The link works once and expires at " + expiresAt + ". If you did not expect this mail, ignore it.\n";
  }
}
