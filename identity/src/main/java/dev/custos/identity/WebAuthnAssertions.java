package dev.custos.identity;

import dev.custos.access.StaffId;
import java.util.Optional;

/**
 * WebAuthn as {@link StaffLogins} needs it for logins and step-ups: a challenge for the browser, and
 * the verdict on its answer. Implemented over Yubico's relying party in {@code dev.custos.identity.webauthn}.
 */
public interface WebAuthnAssertions {
  /**
   * A challenge: {@code optionsJson} goes to {@code navigator.credentials.get()}, {@code requestJson}
   * stays on the server (in the session's pending state) until the answer comes.
   */
  record Challenge(String optionsJson, String requestJson) {}

  /** The outcome of verifying an assertion. */
  sealed interface Verdict {
    record Verified(String credentialId) implements Verdict {}

    /** The authenticator's signature counter went backwards: a possible clone. Refused and recorded. */
    record CounterRegressed(String credentialId, long stored, long presented) implements Verdict {}

    record Refused(String reason) implements Verdict {}

    record Unavailable() implements Verdict {}
  }

  /** Whether {@code staff} has at least one WebAuthn credential. @throws RuntimeException when the store fails */
  boolean enrolled(StaffId staff);

  /** A challenge for {@code staff}'s credentials; empty when none is enrolled. @throws RuntimeException when the store fails */
  Optional<Challenge> challenge(StaffId staff);

  /** Verifies {@code responseJson} (the browser's PublicKeyCredential as JSON) against {@code requestJson}. Never throws. */
  Verdict verify(StaffId staff, String requestJson, String responseJson);
}
