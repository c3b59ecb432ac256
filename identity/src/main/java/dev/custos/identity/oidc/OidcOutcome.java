package dev.custos.identity.oidc;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of a single sign-on ({@link OidcLogin#complete}). The caller MUST create a session
 * only on {@link Authenticated}.
 *
 * <p>{@link Refused} carries its reason (and, for a bad ID token, the problem found) for logs,
 * metrics and detection only; the browser gets the same answer for every refusal.
 */
public sealed interface OidcOutcome {
  /**
   * The provider authenticated {@code staff}, with multi-factor authentication when the settings
   * require it, and the person's groups grant {@code roles} (never empty).
   *
   * <p>{@code issuer} and {@code subject} are the provider's stable, never reassigned identifier
   * for the person (OpenID Connect Core §2); {@code staff} comes from a claim the provider may let
   * change (such as {@code preferred_username}). The caller SHOULD bind {@code staff} to
   * {@code (issuer, subject)} at the first login and refuse a later login where the pair and the
   * staff id disagree, so that renaming an account at the provider cannot take over another.
   *
   * @param email as asserted by the provider, for display; MUST NOT identify anyone
   * @param groups every group the token listed, mapped to a role or not, as received
   * @param amr the authentication methods the provider reported (RFC 8176), as received
   * @param authTime when the person last authenticated at the provider ({@code auth_time}), if stated
   */
  record Authenticated(StaffId staff, String issuer, String subject, Optional<String> email, Optional<String> name,
      Set<Role> roles, List<String> groups, List<String> amr, Optional<String> acr, Optional<Instant> authTime)
      implements OidcOutcome {
    public Authenticated {
      Objects.requireNonNull(staff, "staff");
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(email, "email");
      Objects.requireNonNull(name, "name");
      roles = Set.copyOf(roles);
      if (roles.isEmpty()) {
        throw new IllegalArgumentException("an authenticated staff member has at least one role");
      }
      groups = List.copyOf(groups);
      amr = List.copyOf(amr);
      Objects.requireNonNull(acr, "acr");
      Objects.requireNonNull(authTime, "authTime");
    }
  }

  /**
   * The login was not accepted.
   *
   * @param tokenProblem what was wrong with the ID token, present exactly when {@code reason} is
   *     {@link Reason#INVALID_ID_TOKEN}
   */
  record Refused(Reason reason, Optional<TokenProblem> tokenProblem) implements OidcOutcome {
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(tokenProblem, "tokenProblem");
      if (tokenProblem.isPresent() != (reason == Reason.INVALID_ID_TOKEN)) {
        throw new IllegalArgumentException("a token problem goes with INVALID_ID_TOKEN and only with it");
      }
    }

    /** A refusal for any reason but {@link Reason#INVALID_ID_TOKEN}. */
    public Refused(Reason reason) {
      this(reason, Optional.empty());
    }

    /** A refusal for an ID token with {@code problem}. */
    public static Refused invalidIdToken(TokenProblem problem) {
      return new Refused(Reason.INVALID_ID_TOKEN, Optional.of(problem));
    }
  }

  /** Why a login was refused. */
  enum Reason {
    /** The callback's {@code state} is missing or is not the pending login's: a forged or crossed callback (CSRF). */
    STATE_MISMATCH,
    /** The pending login is older than {@link OidcLogin#PENDING_LIFETIME} (or dated in the future). */
    PENDING_EXPIRED,
    /** The provider sent the browser back with an {@code error} instead of a code (the person cancelled, was denied, ...). */
    PROVIDER_ERROR,
    /**
     * The callback names another issuer than the configured one in its {@code iss} parameter
     * (RFC 9207), or lacks it where the provider promised it: a mix-up attack or misrouting.
     */
    WRONG_ISSUER,
    /** The callback has neither a code nor an error. */
    MALFORMED_CALLBACK,
    /** The token endpoint refused the code (used, expired, wrong PKCE verifier, client authentication) or answered nonsense. */
    TOKEN_EXCHANGE_FAILED,
    /** The ID token failed validation; {@link Refused#tokenProblem()} says how. */
    INVALID_ID_TOKEN,
    /** The ID token proves no accepted multi-factor authentication ({@code amr} / {@code acr}). */
    MFA_MISSING,
    /** The username claim is missing or is not a valid staff id. */
    NO_USERNAME,
    /** None of the person's groups maps to a role. */
    NO_ROLES,
    /** The provider (token endpoint or key set) could not be reached or failed: fail closed. Could not evaluate, not "evaluated to no". */
    UNAVAILABLE
  }

  /** What was wrong with an ID token; for logs, never for the browser. */
  enum TokenProblem {
    /** Not a JWT, or its claims are not a JSON object. */
    MALFORMED,
    /** Not signed ({@code alg: none}) or encrypted instead of signed. */
    NOT_SIGNED,
    /** Signed with an algorithm the provider does not advertise, or a symmetric one (HMAC with the client secret is not accepted). */
    ALGORITHM,
    /** No key of the provider's key set, even after a refetch, matches the token's {@code kid}. */
    UNKNOWN_KEY,
    /** The signature does not verify: tampered, or signed by someone else. */
    SIGNATURE,
    /** {@code iss} is not the configured issuer. */
    ISSUER,
    /** {@code aud} does not list the client id, or lists others without {@code azp} naming the client id. */
    AUDIENCE,
    /** {@code exp} has passed (beyond the allowed skew). */
    EXPIRED,
    /** {@code iat} is in the future (beyond the allowed skew). */
    ISSUED_IN_FUTURE,
    /** {@code nonce} is missing or is not the pending login's: a replayed or injected token. */
    NONCE,
    /** A claim OpenID Connect requires ({@code sub}, {@code exp}, {@code iat}, ...) is missing or of the wrong type. */
    MISSING_CLAIM
  }
}
