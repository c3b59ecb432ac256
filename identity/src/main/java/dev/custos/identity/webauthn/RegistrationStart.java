package dev.custos.identity.webauthn;

import java.util.Objects;

/** The outcome of {@link WebAuthn#startRegistration}: the options for the browser, or why there are none. */
public sealed interface RegistrationStart {
  /**
   * A registration ceremony may begin.
   *
   * @param optionsJson for the browser: {@code {"publicKey": {...}}} with binary values as base64url,
   *     to decode and pass to {@code navigator.credentials.create()}
   * @param requestJson the request as issued, to keep server-side (never in the browser) bound to this
   *     member of staff, and to hand to {@link WebAuthn#finishRegistration} once, then discard
   */
  record Ready(String optionsJson, String requestJson) implements RegistrationStart {
    public Ready {
      Objects.requireNonNull(optionsJson, "optionsJson");
      Objects.requireNonNull(requestJson, "requestJson");
    }
  }

  /** No ceremony was started. */
  record Refused(Reason reason) implements RegistrationStart {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Why no ceremony was started. */
  enum Reason {
    /** The display name is empty, too long, padded with white space or has a control character. */
    INVALID_DISPLAY_NAME,
    /** The member of staff already has {@link WebAuthn#MAX_CREDENTIALS} credentials; remove one first. */
    TOO_MANY_CREDENTIALS,
    /** The credential store could not be reached. */
    UNAVAILABLE
  }
}
