package dev.custos.identity.webauthn;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A WebAuthn credential (a platform authenticator's key or a roaming security key) registered as a
 * second factor of one member of staff: what the server must remember to verify its assertions.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Nothing here is secret (the private key never leaves the authenticator), but the public key
 *       and the user handle are still kept out of {@link #toString()} so that log lines stay short
 *       and cannot be used to correlate an authenticator across systems.</li>
 *   <li>Not a record: byte arrays are copied in and out and compared by content.</li>
 *   <li>Every field is validated on construction, so a tampered store row fails loudly instead of
 *       verifying against something unexpected.</li>
 * </ul>
 */
public final class WebAuthnCredential {
  /** Enough for a COSE RSA-4096 key with room to spare; an EC P-256 key is 77 bytes. */
  public static final int MAX_PUBLIC_KEY_BYTES = 2048;
  /** WebAuthn Level 3 §5.4.3: a user handle is at most 64 bytes. */
  public static final int MAX_USER_HANDLE_BYTES = 64;
  /** The signature counter is an unsigned 32-bit number (WebAuthn Level 3 §6.1). */
  public static final long MAX_SIGNATURE_COUNT = 0xFFFF_FFFFL;
  static final int MAX_TRANSPORTS = 8;
  /** AuthenticatorTransport values are short lower-case tokens; unknown future ones are kept, not refused. */
  private static final Pattern TRANSPORT = Pattern.compile("[a-z0-9-]{1,32}");

  private final StaffId staff;
  private final CredentialId credentialId;
  private final byte[] publicKeyCose;
  private final long signatureCount;
  private final byte[] userHandle;
  private final String nickname;
  private final Instant createdAt;
  private final Optional<Instant> lastUsedAt;
  private final Set<String> transports;
  private final boolean backupEligible;
  private final boolean backedUp;

  /**
   * A credential record.
   *
   * @param staff whose second factor it is
   * @param credentialId the authenticator's id for it
   * @param publicKeyCose the credential public key as a COSE_Key (RFC 9052 §7), 1 to {@link #MAX_PUBLIC_KEY_BYTES} bytes
   * @param signatureCount the highest signature counter seen, 0 to {@link #MAX_SIGNATURE_COUNT}
   *     (0 forever for authenticators without a counter)
   * @param userHandle the WebAuthn user handle the credential was created for, 1 to {@link #MAX_USER_HANDLE_BYTES} bytes
   * @param nickname the name its holder gave it ("YubiKey 5C", "laptop"), 1 to 64 characters
   *     without control characters or surrounding white space
   * @param createdAt when it was registered
   * @param lastUsedAt when an assertion with it was last accepted
   * @param transports how the browser reported it can be reached ({@code usb}, {@code nfc},
   *     {@code ble}, {@code internal}, {@code hybrid}, ...), at most 8; a hint for later ceremonies
   * @param backupEligible whether the authenticator said the key may be synced to other devices (BE flag)
   * @param backedUp whether it said the key was synced when registered (BS flag)
   * @throws IllegalArgumentException when a value is out of range
   */
  public WebAuthnCredential(StaffId staff, CredentialId credentialId, byte[] publicKeyCose, long signatureCount,
      byte[] userHandle, String nickname, Instant createdAt, Optional<Instant> lastUsedAt, Set<String> transports,
      boolean backupEligible, boolean backedUp) {
    this.staff = Objects.requireNonNull(staff, "staff");
    this.credentialId = Objects.requireNonNull(credentialId, "credentialId");
    Objects.requireNonNull(publicKeyCose, "publicKeyCose");
    if (publicKeyCose.length < 1 || publicKeyCose.length > MAX_PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException("a WebAuthn public key is 1 to " + MAX_PUBLIC_KEY_BYTES + " bytes, was "
          + publicKeyCose.length);
    }
    this.publicKeyCose = publicKeyCose.clone();
    this.signatureCount = requireSignatureCount(signatureCount);
    Objects.requireNonNull(userHandle, "userHandle");
    if (userHandle.length < 1 || userHandle.length > MAX_USER_HANDLE_BYTES) {
      throw new IllegalArgumentException("a WebAuthn user handle is 1 to " + MAX_USER_HANDLE_BYTES + " bytes, was "
          + userHandle.length);
    }
    this.userHandle = userHandle.clone();
    String problem = nicknameProblem(nickname);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    this.nickname = nickname;
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    this.lastUsedAt = Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    Objects.requireNonNull(transports, "transports");
    if (transports.size() > MAX_TRANSPORTS) {
      throw new IllegalArgumentException("a WebAuthn credential lists at most " + MAX_TRANSPORTS + " transports, was "
          + transports.size());
    }
    TreeSet<String> sorted = new TreeSet<>();
    for (String transport : transports) {
      if (transport == null || !TRANSPORT.matcher(transport).matches()) {
        throw new IllegalArgumentException("a WebAuthn transport is 1 to 32 characters of a-z, 0-9 and -");
      }
      sorted.add(transport);
    }
    this.transports = Collections.unmodifiableSortedSet(sorted);
    this.backupEligible = backupEligible;
    this.backedUp = backedUp;
  }

  /** The problem with {@code nickname} as a credential's nickname, or null when it is a valid one. */
  static String nicknameProblem(String nickname) {
    String problem = WebAuthnSettings.nameProblem(nickname);
    return problem == null ? null : "credential nickname " + problem;
  }

  static long requireSignatureCount(long count) {
    if (count < 0 || count > MAX_SIGNATURE_COUNT) {
      throw new IllegalArgumentException("a WebAuthn signature count is 0 to " + MAX_SIGNATURE_COUNT + ", was " + count);
    }
    return count;
  }

  /** This credential after an accepted assertion with counter {@code count} at {@code usedAt}. */
  public WebAuthnCredential withUse(long count, Instant usedAt) {
    return new WebAuthnCredential(staff, credentialId, publicKeyCose, count, userHandle, nickname, createdAt,
        Optional.of(usedAt), transports, backupEligible, backedUp);
  }

  public StaffId staff() {
    return staff;
  }

  public CredentialId credentialId() {
    return credentialId;
  }

  /** A copy of the COSE_Key bytes. */
  public byte[] publicKeyCose() {
    return publicKeyCose.clone();
  }

  public long signatureCount() {
    return signatureCount;
  }

  /** A copy of the user handle. */
  public byte[] userHandle() {
    return userHandle.clone();
  }

  public String nickname() {
    return nickname;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Optional<Instant> lastUsedAt() {
    return lastUsedAt;
  }

  /** The transports, sorted; never null. */
  public Set<String> transports() {
    return transports;
  }

  public boolean backupEligible() {
    return backupEligible;
  }

  public boolean backedUp() {
    return backedUp;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebAuthnCredential other
        && staff.equals(other.staff)
        && credentialId.equals(other.credentialId)
        && Arrays.equals(publicKeyCose, other.publicKeyCose)
        && signatureCount == other.signatureCount
        && Arrays.equals(userHandle, other.userHandle)
        && nickname.equals(other.nickname)
        && createdAt.equals(other.createdAt)
        && lastUsedAt.equals(other.lastUsedAt)
        && transports.equals(other.transports)
        && backupEligible == other.backupEligible
        && backedUp == other.backedUp;
  }

  @Override
  public int hashCode() {
    return credentialId.hashCode();
  }

  /** Who, which credential and its state; never the public key or the user handle. */
  @Override
  public String toString() {
    return "WebAuthnCredential[staff=" + staff + ", id=" + credentialId + ", nickname=" + nickname
        + ", signatureCount=" + signatureCount + ", createdAt=" + createdAt
        + ", lastUsedAt=" + lastUsedAt.map(Instant::toString).orElse("never") + ", transports=" + transports
        + ", backupEligible=" + backupEligible + ", backedUp=" + backedUp + "]";
  }
}
