package dev.custos.identity.webauthn;

import java.util.Objects;

/**
 * The outcome of {@link WebAuthn#finishRegistration}. The refusal reasons are for logs, metrics and
 * the person enrolling ("this key is already registered"); none of them registers anything.
 */
public sealed interface Registration {
  /** The credential was verified and stored; it is now a second factor of its holder. */
  record Registered(WebAuthnCredential credential) implements Registration {
    public Registered {
      Objects.requireNonNull(credential, "credential");
    }
  }

  /** Nothing was stored. */
  record Refused(Reason reason) implements Registration {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Why a registration was refused. */
  enum Reason {
    /** The request or the browser's response is not the JSON of a registration. */
    MALFORMED,
    /** The nickname is empty, too long, padded with white space or has a control character. */
    INVALID_NICKNAME,
    /** The request was issued for another member of staff. */
    WRONG_ACCOUNT,
    /** A credential with this id is already registered (to this or another member of staff). */
    ALREADY_REGISTERED,
    /** The member of staff already has {@link WebAuthn#MAX_CREDENTIALS} credentials. */
    TOO_MANY_CREDENTIALS,
    /**
     * The response does not verify: wrong challenge, origin, relying party id, type, missing user
     * presence or verification, a bad attestation signature, or an unsupported key.
     */
    VERIFICATION_FAILED,
    /** The credential store could not be reached: nothing was stored. */
    UNAVAILABLE
  }
}
