package dev.custos.transparency;

import dev.custos.access.StaffId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The names customers see for staff: {@code Agent 7F3QK2}, stable per member of staff, unlinkable
 * to the staff id without the installation's pseudonym key.
 *
 * <p>Definition: {@code HMAC-SHA256(key, lp("custos.staff-pseudonym/v1") || lp(staff id))}; the
 * first 30 bits as six Crockford base-32 digits (no I, L, O, U), after {@code "Agent "}. 30 bits
 * make a collision between two of 1,000 staff about one in 2,000; a collision only makes two people
 * look like one on a customer's page, never hides an access.
 *
 * <p>Security guarantees: the key never leaves this object ({@link #toString()} is redacted); the
 * same key on every instance gives every customer the same name for the same person. Rotating the
 * key renames everybody (old pages keep old names).
 */
public final class StaffPseudonyms {
  static final String DOMAIN = "custos.staff-pseudonym/v1";
  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private final SecretKeySpec key;

  private StaffPseudonyms(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  /** Pseudonyms under {@code key} (at least 16 bytes; copied). */
  public static StaffPseudonyms withKey(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length < 16) {
      throw new IllegalArgumentException("a pseudonym key is at least 16 bytes, was " + key.length);
    }
    return new StaffPseudonyms(key.clone());
  }

  /** The pseudonym of {@code staff}. */
  public String of(StaffId staff) {
    Objects.requireNonNull(staff, "staff");
    byte[] mac;
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(key);
      hmac.update(lp(DOMAIN.getBytes(StandardCharsets.UTF_8)));
      mac = hmac.doFinal(lp(staff.value().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
    long bits = ((mac[0] & 0xffL) << 22) | ((mac[1] & 0xffL) << 14) | ((mac[2] & 0xffL) << 6) | ((mac[3] & 0xffL) >>> 2);
    char[] out = new char[6];
    for (int i = 5; i >= 0; i--) {
      out[i] = CROCKFORD[(int) (bits & 31)];
      bits >>>= 5;
    }
    return "Agent " + new String(out);
  }

  private static byte[] lp(byte[] b) {
    return ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).array();
  }

  @Override
  public String toString() {
    return "StaffPseudonyms[***]";
  }
}
