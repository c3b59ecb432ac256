package dev.custos.identity.webauthn;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link WebAuthn#finishAssertion}: the second factor was proven, or it was not.
 * The refusal reasons and their evidence are for logs, metrics and detection; callers MUST NOT
 * tell the person at the keyboard more than "the security key was not accepted", and MUST count
 * every refusal as a failed login attempt.
 */
public sealed interface Assertion {
  /**
   * The holder of the expected member of staff's credential signed this request's challenge, with
   * user verification, at an allowed origin; the new counter is stored.
   *
   * @param credentialId the credential that signed
   * @param signatureCount its signature counter now (0 for authenticators without one)
   */
  record Asserted(CredentialId credentialId, long signatureCount) implements Assertion {
    public Asserted {
      Objects.requireNonNull(credentialId, "credentialId");
      WebAuthnCredential.requireSignatureCount(signatureCount);
    }
  }

  /**
   * The assertion was refused.
   *
   * @param reason why
   * @param credential the credential id the response named, when it could be read (evidence for
   *     {@link Reason#WRONG_ACCOUNT}, {@link Reason#UNKNOWN_CREDENTIAL} and the rest)
   * @param counter present exactly when {@code reason} is {@link Reason#COUNTER_REGRESSED}
   */
  record Refused(Reason reason, Optional<CredentialId> credential, Optional<CounterRegression> counter)
      implements Assertion {
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(credential, "credential");
      Objects.requireNonNull(counter, "counter");
      if (counter.isPresent() != (reason == Reason.COUNTER_REGRESSED)) {
        throw new IllegalArgumentException("counter evidence comes with COUNTER_REGRESSED and only with it");
      }
    }

    /** A refusal without evidence about a counter. */
    public Refused(Reason reason, Optional<CredentialId> credential) {
      this(reason, credential, Optional.empty());
    }
  }

  /**
   * Evidence of a signature counter that did not increase: the authenticator may have been cloned,
   * or this response was captured and replayed. The caller MUST record it (ledger, detection) and
   * SHOULD have security review the credential.
   *
   * @param stored the counter Custos had recorded for the credential
   * @param presented the counter in the refused response (not stored)
   */
  record CounterRegression(long stored, long presented) {
    public CounterRegression {
      WebAuthnCredential.requireSignatureCount(stored);
      WebAuthnCredential.requireSignatureCount(presented);
    }
  }

  /** Why an assertion was refused. */
  enum Reason {
    /** The request or the browser's response is not the JSON of an assertion. */
    MALFORMED,
    /** No credential with the presented id is registered (never, or removed). */
    UNKNOWN_CREDENTIAL,
    /** The credential, or the request, belongs to another member of staff than the one logging in. */
    WRONG_ACCOUNT,
    /**
     * The response does not verify: signature, challenge (another ceremony's, or replayed), origin,
     * relying party id, type, user presence or user verification.
     */
    VERIFICATION_FAILED,
    /**
     * Everything verified but the signature counter did not increase (see {@link CounterRegression});
     * the stored counter is unchanged.
     */
    COUNTER_REGRESSED,
    /** The credential store could not be reached: fail closed. */
    UNAVAILABLE
  }
}
