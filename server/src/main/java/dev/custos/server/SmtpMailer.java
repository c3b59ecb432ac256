package dev.custos.server;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;

/**
 * Sends one plain-text e-mail per call over SMTP with Jakarta Mail (Angus): {@code STARTTLS}
 * required (not opportunistic), implicit TLS, or plain only to a server on this machine; bounded
 * connect, read and write timeouts, so a send never hangs beyond {@link #LONGEST_SEND}.
 *
 * <p>Failures are classified, never quoted: an SMTP server's reply may repeat the recipient's
 * address, and what leaves this class goes into a table and a log.
 */
final class SmtpMailer implements Mailer {
  private static final int TIMEOUT_MS = 10_000;
  /** The longest one send can take: connect, then the dialogue, each bounded by the timeouts. */
  static final Duration LONGEST_SEND = Duration.ofMillis(4L * TIMEOUT_MS);

  private final Session session;
  private final NotificationSettings settings;
  private final InternetAddress from;

  SmtpMailer(NotificationSettings settings) {
    this.settings = settings;
    if (!settings.enabled()) {
      throw new IllegalArgumentException("no SMTP host configured");
    }
    String protocol = settings.tls() == NotificationSettings.Tls.TLS ? "smtps" : "smtp";
    Properties p = new Properties();
    p.put("mail.transport.protocol", protocol);
    p.put("mail." + protocol + ".host", settings.smtpHost().orElseThrow());
    p.put("mail." + protocol + ".port", Integer.toString(settings.smtpPort()));
    p.put("mail." + protocol + ".connectiontimeout", Integer.toString(TIMEOUT_MS));
    p.put("mail." + protocol + ".timeout", Integer.toString(TIMEOUT_MS));
    p.put("mail." + protocol + ".writetimeout", Integer.toString(TIMEOUT_MS));
    p.put("mail." + protocol + ".auth", Boolean.toString(settings.username().isPresent()));
    if (settings.tls() == NotificationSettings.Tls.STARTTLS) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    if (settings.tls() != NotificationSettings.Tls.NONE) {
      p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
    }
    this.session = Session.getInstance(p);
    try {
      this.from = new InternetAddress(settings.from(), settings.exchangeName(), StandardCharsets.UTF_8.name());
    } catch (java.io.UnsupportedEncodingException e) {
      throw new IllegalStateException("UTF-8 is unavailable", e);
    }
  }

  @Override
  public void send(String to, String subject, String body, String messageId, Instant at) throws Failure {
    InternetAddress recipient;
    try {
      recipient = new InternetAddress(to, true);
    } catch (AddressException e) {
      throw new Failure(Failure.Kind.REJECTED, "address-invalid");
    }
    try {
      MimeMessage m = new FixedIdMessage(session, messageId);
      m.setFrom(from);
      m.setRecipients(Message.RecipientType.TO, new Address[] {recipient});
      m.setSubject(subject, StandardCharsets.UTF_8.name());
      m.setText(body, StandardCharsets.UTF_8.name());
      m.setSentDate(Date.from(at));
      m.setHeader("Auto-Submitted", "auto-generated");
      m.saveChanges();
      char[] password = settings.password().map(Secret::reveal).orElse(null);
      try {
        if (settings.username().isPresent()) {
          Transport.send(m, settings.username().get(), password == null ? "" : new String(password));
        } else {
          Transport.send(m);
        }
      } finally {
        if (password != null) {
          java.util.Arrays.fill(password, '\0');
        }
      }
    } catch (SendFailedException e) {
      // The server refused the recipient: a 5xx is for good, anything else may pass later.
      throw new Failure(permanent(e) ? Failure.Kind.REJECTED : Failure.Kind.TRANSIENT,
          permanent(e) ? "smtp-rejected" : "smtp-transient");
    } catch (AuthenticationFailedException e) {
      throw new Failure(Failure.Kind.TRANSIENT, "smtp-auth");
    } catch (MessagingException e) {
      throw new Failure(Failure.Kind.TRANSIENT, "smtp-unavailable");
    }
  }

  private static boolean permanent(SendFailedException e) {
    Exception next = e.getNextException();
    while (next != null) {
      if (next instanceof org.eclipse.angus.mail.smtp.SMTPAddressFailedException a && a.getReturnCode() >= 500) {
        return true;
      }
      next = next instanceof MessagingException me ? me.getNextException() : null;
    }
    return e instanceof org.eclipse.angus.mail.smtp.SMTPSendFailedException s && s.getReturnCode() >= 500;
  }

  /** A message whose Message-ID is ours (one per incident and customer), so a duplicate can be recognised downstream. */
  private static final class FixedIdMessage extends MimeMessage {
    private final String id;

    FixedIdMessage(Session session, String id) {
      super(session);
      this.id = id;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", id);
    }
  }

  @Override
  public String toString() {
    return "SmtpMailer[" + settings + "]";
  }
}
