package dev.custos.identity;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The public name of a session: shown in the list of one's sessions and used to revoke one, never
 * accepted as a credential. 16 random bytes, base64url without padding (22 characters).
 */
public record SessionHandle(String value) {
  private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{22}");

  public SessionHandle {
    if (value == null || !FORM.matcher(value).matches()) {
      throw new IllegalArgumentException("session handle must be 22 characters of base64url");
    }
  }

  public static SessionHandle random(SecureRandom random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return new SessionHandle(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
  }

  /** Parses untrusted text; the message names the field. */
  public static SessionHandle parse(String text) {
    return new SessionHandle(text);
  }

  @Override
  public String toString() {
    return value;
  }
}
