package dev.custos.identity.webauthn;

import dev.custos.identity.Parsed;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The id an authenticator chose for one WebAuthn credential: 1 to 1023 opaque bytes (WebAuthn
 * Level 3 §5.1), written as unpadded base64url. Not a secret: it is sent to the browser in every
 * ceremony so the authenticator can find its key.
 *
 * <p>Not a record, so that the bytes are copied in and out and compared by content.
 */
public final class CredentialId {
  /** WebAuthn Level 3's upper bound on credential ids. */
  public static final int MAX_BYTES = 1023;

  private final byte[] bytes;

  private CredentialId(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * A credential id from its bytes (trusted input: a store row, a verified response).
   *
   * @throws IllegalArgumentException when empty or longer than {@link #MAX_BYTES}
   */
  public static CredentialId of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length < 1 || bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException("a WebAuthn credential id is 1 to " + MAX_BYTES + " bytes, was " + bytes.length);
    }
    return new CredentialId(bytes.clone());
  }

  /** A credential id from unpadded base64url text (from a URL or a form); never throws. */
  public static Parsed<CredentialId> parse(String text) {
    if (text == null || text.isEmpty() || text.length() > (MAX_BYTES * 4 + 2) / 3) {
      return Parsed.invalid("credential id must be 1 to " + MAX_BYTES + " bytes of unpadded base64url");
    }
    byte[] decoded;
    try {
      decoded = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return Parsed.invalid("credential id must be unpadded base64url");
    }
    // One spelling per id: no padding, no stray low bits (which the JDK decoder ignores).
    if (decoded.length == 0 || !Base64.getUrlEncoder().withoutPadding().encodeToString(decoded).equals(text)) {
      return Parsed.invalid("credential id must be canonical unpadded base64url");
    }
    return Parsed.valid(new CredentialId(decoded));
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The id as unpadded base64url, as browsers write {@code PublicKeyCredential.id}. */
  public String base64Url() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CredentialId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The base64url form, for logs and evidence. */
  @Override
  public String toString() {
    return base64Url();
  }
}
