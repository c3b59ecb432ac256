package dev.custos.identity.webauthn;

import java.util.Objects;

/** The outcome of {@link WebAuthn#startAssertion}: the options for the browser, or why there are none. */
public sealed interface AssertionStart {
  /**
   * An authentication ceremony may begin.
   *
   * @param optionsJson for the browser: {@code {"publicKey": {...}}} with binary values as base64url,
   *     to decode and pass to {@code navigator.credentials.get()}
   * @param requestJson the request as issued, to keep server-side bound to this member of staff
   *     (and to the pending login), and to hand to {@link WebAuthn#finishAssertion} once, then discard
   */
  record Ready(String optionsJson, String requestJson) implements AssertionStart {
    public Ready {
      Objects.requireNonNull(optionsJson, "optionsJson");
      Objects.requireNonNull(requestJson, "requestJson");
    }
  }

  /** No ceremony was started. */
  record Refused(Reason reason) implements AssertionStart {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Why no ceremony was started. */
  enum Reason {
    /** The member of staff has no WebAuthn credential: offer another factor. */
    NO_CREDENTIALS,
    /** The credential store could not be reached. */
    UNAVAILABLE
  }
}
