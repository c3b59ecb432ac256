package dev.custos.identity.webauthn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.data.AttestationConveyancePreference;
import com.yubico.webauthn.data.AuthenticatorAssertionResponse;
import com.yubico.webauthn.data.AuthenticatorAttestationResponse;
import com.yubico.webauthn.data.AuthenticatorSelectionCriteria;
import com.yubico.webauthn.data.AuthenticatorTransport;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.ClientAssertionExtensionOutputs;
import com.yubico.webauthn.data.ClientRegistrationExtensionOutputs;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.ResidentKeyRequirement;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.data.UserVerificationRequirement;
import com.yubico.webauthn.exception.AssertionFailedException;
import com.yubico.webauthn.exception.InvalidSignatureCountException;
import com.yubico.webauthn.exception.RegistrationFailedException;
import dev.custos.access.StaffId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * WebAuthn as a second factor for staff, with platform authenticators (Touch ID, Windows Hello,
 * Android) and roaming security keys alike: registering a credential, and proving possession of
 * one at login or step-up. A thin layer over Yubico's {@code webauthn-server-core}, which does the
 * WebAuthn Level 2/3 verification steps; this class decides the policy and turns every outcome into
 * a sealed result. It knows nothing of HTTP or sessions.
 *
 * <p>Each ceremony has two halves. {@code start…} returns JSON for the browser ({@code optionsJson})
 * and the request as issued ({@code requestJson}). The caller MUST keep {@code requestJson}
 * server-side, bound to the member of staff and (for a login) to the pending-login token; MUST hand
 * it to {@code finish…} at most once and discard it afterwards, and SHOULD expire it after
 * {@link WebAuthnSettings#timeout()}. The challenge inside it is what makes a response single-use:
 * a response can only ever verify against the request it answered.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>An assertion is {@link Assertion.Asserted} only if the credential is registered to the
 *       expected member of staff, the request was issued for them, and Yubico verified the
 *       signature over the authenticator data and the hash of the client data with the stored
 *       public key, the challenge of this request, an origin from the settings (exact match, no
 *       other ports or subdomains), the SHA-256 of the relying party id, the ceremony type, and the
 *       user-present and user-verified flags.</li>
 *   <li>User verification (PIN or biometric on the authenticator) is required in both ceremonies,
 *       so a stolen security key alone is not a second factor.</li>
 *   <li>The signature counter never goes back: a counter that does not increase (unless the
 *       authenticator has none and always says 0) is refused as {@link Assertion.Reason#COUNTER_REGRESSED}
 *       with the stored and presented counts as evidence, and the stored count is left as it was.
 *       The new count is stored by compare-and-set, so of two racing assertions only ones that
 *       raise it are accepted.</li>
 *   <li>Registration excludes the member of staff's existing credentials (the authenticator
 *       refuses to register twice) and refuses a credential id already registered to anyone.</li>
 *   <li>Challenges are 32 bytes from the injected {@link SecureRandom}.</li>
 *   <li>No method throws for bad input: malformed JSON, unknown credentials and failed checks are
 *       refusals. A store failure is {@code UNAVAILABLE}, never a success. Any unexpected error
 *       inside verification is a refusal (fail closed).</li>
 *   <li>Attestation is not requested ({@code none}): Custos does not restrict which authenticator
 *       models may be registered; the registration ceremony is trusted because it runs inside an
 *       authenticated session (see docs/design/webauthn.md).</li>
 * </ul>
 *
 * <p>Thread-safe: it holds no mutable state of its own; all state is in the store.
 */
public final class WebAuthn {
  /** Most credentials one member of staff may hold (a laptop, a phone, a few keys, spares). */
  public static final int MAX_CREDENTIALS = 10;
  static final int CHALLENGE_BYTES = 32;
  private static final byte[] USER_HANDLE_DOMAIN = "custos webauthn user handle v1".getBytes(StandardCharsets.US_ASCII);

  private final WebAuthnSettings settings;
  private final WebAuthnCredentialStore store;
  private final InstantSource clock;
  private final SecureRandom random;
  private final RelyingParty rp;

  public WebAuthn(WebAuthnSettings settings, WebAuthnCredentialStore store, InstantSource clock, SecureRandom random) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.rp = RelyingParty.builder()
        .identity(RelyingPartyIdentity.builder().id(settings.rpId()).name(settings.rpName()).build())
        .credentialRepository(new StoreAdapter(store))
        .origins(settings.origins())
        .attestationConveyancePreference(AttestationConveyancePreference.NONE)
        .allowUntrustedAttestation(true)
        .allowOriginPort(false)
        .allowOriginSubdomain(false)
        .validateSignatureCounter(true)
        .clock(clock.withZone(ZoneOffset.UTC))
        .build();
  }

  /**
   * The WebAuthn user handle of {@code staff}: {@code SHA-256("custos webauthn user handle v1" 0x00
   * staff id)}, 32 bytes. Derived rather than stored so that it is the same on every instance and
   * for every credential of one member of staff, and contains no readable personal data (WebAuthn
   * Level 3 §14.6.1). It is not secret: an authenticator already holds the staff id as the user name.
   */
  public static byte[] userHandle(StaffId staff) {
    Objects.requireNonNull(staff, "staff");
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(USER_HANDLE_DOMAIN);
      sha256.update((byte) 0);
      sha256.update(staff.value().getBytes(StandardCharsets.UTF_8));
      return sha256.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * Starts registering a new credential for {@code staff}, who MUST be authenticated already (with
   * a fresh second factor when they hold one). {@code displayName} is what the authenticator may
   * show ("Ada Lovelace"); the staff id is the user name. Never throws for bad input.
   */
  public RegistrationStart startRegistration(StaffId staff, String displayName) {
    Objects.requireNonNull(staff, "staff");
    if (WebAuthnSettings.nameProblem(displayName) != null) {
      return new RegistrationStart.Refused(RegistrationStart.Reason.INVALID_DISPLAY_NAME);
    }
    PublicKeyCredentialCreationOptions options;
    try {
      if (StoreAdapter.call(() -> store.forStaff(staff)).size() >= MAX_CREDENTIALS) {
        return new RegistrationStart.Refused(RegistrationStart.Reason.TOO_MANY_CREDENTIALS);
      }
      options = rp.startRegistration(StartRegistrationOptions.builder()
              .user(UserIdentity.builder()
                  .name(staff.value())
                  .displayName(displayName)
                  .id(new ByteArray(userHandle(staff)))
                  .build())
              .authenticatorSelection(AuthenticatorSelectionCriteria.builder()
                  // A second factor for a known account: no need to fill a security key's few
                  // discoverable slots. Platform authenticators may make one anyway; both work.
                  .residentKey(ResidentKeyRequirement.DISCOURAGED)
                  .userVerification(UserVerificationRequirement.REQUIRED)
                  .build())
              .timeout(settings.timeout().toMillis())
              .build())
          .toBuilder()
          .challenge(challenge())
          .build();
    } catch (StoreAdapter.StoreFailure e) {
      return new RegistrationStart.Refused(RegistrationStart.Reason.UNAVAILABLE);
    }
    return new RegistrationStart.Ready(json(options::toCredentialsCreateJson), json(options::toJson));
  }

  /**
   * Finishes a registration: verifies the browser's {@code responseJson} (the
   * {@code PublicKeyCredential} from {@code navigator.credentials.create()}, as JSON with binary
   * values in base64url) against {@code requestJson} from {@link #startRegistration} for the same
   * {@code staff}, and stores the credential under {@code nickname}. Never throws for bad input.
   *
   * <p>The caller SHOULD record every {@link Registration.Registered} (a new factor is a security
   * event) and notify the member of staff.
   */
  public Registration finishRegistration(StaffId staff, String requestJson, String responseJson, String nickname) {
    Objects.requireNonNull(staff, "staff");
    if (WebAuthnCredential.nicknameProblem(nickname) != null) {
      return new Registration.Refused(Registration.Reason.INVALID_NICKNAME);
    }
    PublicKeyCredentialCreationOptions request;
    PublicKeyCredential<AuthenticatorAttestationResponse, ClientRegistrationExtensionOutputs> response;
    Optional<CredentialId> id;
    boolean requestedForStaff;
    try { // JSON "null" parses to null; any NPE below is malformed input, too
      request = PublicKeyCredentialCreationOptions.fromJson(Objects.requireNonNull(requestJson));
      response = PublicKeyCredential.parseRegistrationResponseJson(Objects.requireNonNull(responseJson));
      id = credentialId(response.getId());
      requestedForStaff = request.getUser().getName().equals(staff.value())
          && MessageDigest.isEqual(request.getUser().getId().getBytes(), userHandle(staff));
    } catch (IOException | RuntimeException e) {
      return new Registration.Refused(Registration.Reason.MALFORMED);
    }
    if (id.isEmpty()) {
      return new Registration.Refused(Registration.Reason.MALFORMED);
    }
    if (!requestedForStaff) {
      return new Registration.Refused(Registration.Reason.WRONG_ACCOUNT);
    }
    RegistrationResult result;
    try {
      if (StoreAdapter.call(() -> store.find(id.get())).isPresent()) {
        return new Registration.Refused(Registration.Reason.ALREADY_REGISTERED);
      }
      if (StoreAdapter.call(() -> store.forStaff(staff)).size() >= MAX_CREDENTIALS) {
        return new Registration.Refused(Registration.Reason.TOO_MANY_CREDENTIALS);
      }
      result = rp.finishRegistration(FinishRegistrationOptions.builder().request(request).response(response).build());
    } catch (StoreAdapter.StoreFailure e) {
      return new Registration.Refused(Registration.Reason.UNAVAILABLE);
    } catch (RegistrationFailedException | RuntimeException e) {
      return new Registration.Refused(Registration.Reason.VERIFICATION_FAILED);
    }
    if (!result.isUserVerified() || !CredentialId.of(result.getKeyId().getId().getBytes()).equals(id.get())) {
      return new Registration.Refused(Registration.Reason.VERIFICATION_FAILED); // Yubico checks both; so do we
    }
    WebAuthnCredential credential;
    try {
      credential = credential(staff, id.get(), result, nickname);
    } catch (IllegalArgumentException e) {
      return new Registration.Refused(Registration.Reason.VERIFICATION_FAILED); // a key or handle out of range
    }
    boolean added;
    try {
      added = store.add(credential);
    } catch (RuntimeException e) {
      return new Registration.Refused(Registration.Reason.UNAVAILABLE);
    }
    return added ? new Registration.Registered(credential) : new Registration.Refused(Registration.Reason.ALREADY_REGISTERED);
  }

  /**
   * Starts proving the second factor of {@code staff}, who MUST have passed the first factor in the
   * same pending login (or hold a session, for step-up). Only that member of staff's credentials
   * are allowed. Never throws.
   */
  public AssertionStart startAssertion(StaffId staff) {
    Objects.requireNonNull(staff, "staff");
    AssertionRequest request;
    try {
      if (StoreAdapter.call(() -> store.forStaff(staff)).isEmpty()) {
        return new AssertionStart.Refused(AssertionStart.Reason.NO_CREDENTIALS);
      }
      request = rp.startAssertion(StartAssertionOptions.builder()
          .username(staff.value())
          .userVerification(UserVerificationRequirement.REQUIRED)
          .timeout(settings.timeout().toMillis())
          .build());
    } catch (StoreAdapter.StoreFailure e) {
      return new AssertionStart.Refused(AssertionStart.Reason.UNAVAILABLE);
    }
    if (request.getPublicKeyCredentialRequestOptions().getAllowCredentials().map(List::isEmpty).orElse(true)) {
      // Removed between the two reads: an empty list would let the browser offer any passkey.
      return new AssertionStart.Refused(AssertionStart.Reason.NO_CREDENTIALS);
    }
    AssertionRequest issued = request.toBuilder()
        .publicKeyCredentialRequestOptions(request.getPublicKeyCredentialRequestOptions().toBuilder()
            .challenge(challenge())
            .build())
        .build();
    return new AssertionStart.Ready(json(issued::toCredentialsGetJson), json(issued::toJson));
  }

  /**
   * Finishes proving the second factor of {@code expected}: verifies the browser's
   * {@code responseJson} (the {@code PublicKeyCredential} from {@code navigator.credentials.get()},
   * as JSON with binary values in base64url) against {@code requestJson} from
   * {@link #startAssertion}, and on success stores the new signature counter and time of use. Never
   * throws for bad input.
   *
   * <p>The caller MUST count every {@link Assertion.Refused} as a failed login attempt and MUST
   * record {@link Assertion.Reason#COUNTER_REGRESSED} and {@link Assertion.Reason#WRONG_ACCOUNT}
   * for security review.
   */
  public Assertion finishAssertion(StaffId expected, String requestJson, String responseJson) {
    Objects.requireNonNull(expected, "expected");
    AssertionRequest request;
    PublicKeyCredential<AuthenticatorAssertionResponse, ClientAssertionExtensionOutputs> response;
    Optional<CredentialId> id;
    boolean requestedForExpected;
    try { // JSON "null" parses to null; any NPE below is malformed input, too
      request = AssertionRequest.fromJson(Objects.requireNonNull(requestJson));
      response = PublicKeyCredential.parseAssertionResponseJson(Objects.requireNonNull(responseJson));
      id = credentialId(response.getId());
      requestedForExpected = request.getUsername().equals(Optional.of(expected.value()));
    } catch (IOException | RuntimeException e) {
      return refused(Assertion.Reason.MALFORMED, Optional.empty());
    }
    if (id.isEmpty()) {
      return refused(Assertion.Reason.MALFORMED, Optional.empty());
    }
    if (!requestedForExpected) {
      return refused(Assertion.Reason.WRONG_ACCOUNT, id);
    }
    AssertionResult result;
    try {
      Optional<WebAuthnCredential> stored = StoreAdapter.call(() -> store.find(id.get()));
      if (stored.isEmpty()) {
        return refused(Assertion.Reason.UNKNOWN_CREDENTIAL, id);
      }
      if (!stored.get().staff().equals(expected)) {
        return refused(Assertion.Reason.WRONG_ACCOUNT, id);
      }
      result = rp.finishAssertion(FinishAssertionOptions.builder().request(request).response(response).build());
    } catch (StoreAdapter.StoreFailure e) {
      return refused(Assertion.Reason.UNAVAILABLE, id);
    } catch (InvalidSignatureCountException e) {
      // Thrown only after every other check, the signature included, has passed.
      return regressed(id.get(), e.getExpectedMinimum() - 1, e.getReceived());
    } catch (AssertionFailedException | RuntimeException e) {
      return refused(Assertion.Reason.VERIFICATION_FAILED, id);
    }
    if (!result.isSuccess() || !result.isUserVerified() || !result.isSignatureCounterValid()
        || !result.getUsername().equals(expected.value())
        || !CredentialId.of(result.getCredential().getCredentialId().getBytes()).equals(id.get())) {
      return refused(Assertion.Reason.VERIFICATION_FAILED, id); // Yubico checks each of these; so do we
    }
    long count = result.getSignatureCount();
    boolean recorded;
    Optional<WebAuthnCredential> now;
    try {
      recorded = store.updateSignatureCount(id.get(), count, now());
      now = recorded ? Optional.empty() : store.find(id.get());
    } catch (RuntimeException e) {
      return refused(Assertion.Reason.UNAVAILABLE, id);
    }
    if (recorded) {
      return new Assertion.Asserted(id.get(), count);
    }
    // Another assertion with a count at least as high was recorded since the lookup, or the
    // credential was removed meanwhile.
    return now.map(c -> regressed(id.get(), c.signatureCount(), count))
        .orElseGet(() -> refused(Assertion.Reason.UNKNOWN_CREDENTIAL, id));
  }

  private WebAuthnCredential credential(StaffId staff, CredentialId id, RegistrationResult result, String nickname) {
    Set<String> transports = new TreeSet<>();
    result.getKeyId().getTransports().ifPresent(ts -> {
      for (AuthenticatorTransport t : ts) {
        transports.add(t.getId());
      }
    });
    return new WebAuthnCredential(staff, id, result.getPublicKeyCose().getBytes(), result.getSignatureCount(),
        userHandle(staff), nickname, now(), Optional.empty(), transports, backupEligible(result), backedUp(result));
  }

  @SuppressWarnings("deprecation") // marked experimental by Yubico (WebAuthn L3 backup flags)
  private static boolean backupEligible(RegistrationResult result) {
    return result.isBackupEligible();
  }

  @SuppressWarnings("deprecation") // marked experimental by Yubico (WebAuthn L3 backup flags)
  private static boolean backedUp(RegistrationResult result) {
    return result.isBackedUp();
  }

  private static Optional<CredentialId> credentialId(ByteArray id) {
    if (id == null || id.isEmpty() || id.size() > CredentialId.MAX_BYTES) {
      return Optional.empty();
    }
    return Optional.of(CredentialId.of(id.getBytes()));
  }

  private static Assertion refused(Assertion.Reason reason, Optional<CredentialId> id) {
    return new Assertion.Refused(reason, id);
  }

  private static Assertion regressed(CredentialId id, long stored, long presented) {
    return new Assertion.Refused(Assertion.Reason.COUNTER_REGRESSED, Optional.of(id),
        Optional.of(new Assertion.CounterRegression(stored, presented)));
  }

  private ByteArray challenge() {
    byte[] bytes = new byte[CHALLENGE_BYTES];
    random.nextBytes(bytes);
    return new ByteArray(bytes);
  }

  /** Now, to the microsecond: what PostgreSQL keeps, so a credential reads back equal to what was stored. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private interface JsonWriter {
    String write() throws JsonProcessingException;
  }

  private static String json(JsonWriter writer) {
    try {
      return writer.write();
    } catch (JsonProcessingException e) {
      // Options built here always serialise; failing to is a bug, not bad input.
      throw new IllegalStateException("cannot write WebAuthn options as JSON", e);
    }
  }
}
