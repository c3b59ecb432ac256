package dev.custos.identity.webauthn;

import static dev.custos.identity.webauthn.SoftwareAuthenticator.b64;
import static dev.custos.identity.webauthn.SoftwareAuthenticator.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custos.access.StaffId;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WebAuthnTest {
  static final String ORIGIN = "http://localhost:8080";
  static final WebAuthnSettings SETTINGS = WebAuthnSettings.of("localhost", "Custos", Set.of(ORIGIN));
  static final StaffId ALICE = new StaffId("agent-17");
  static final StaffId BOB = new StaffId("agent-42");

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:00:00.123456789Z"));
  private final InMemoryWebAuthnCredentialStore store = new InMemoryWebAuthnCredentialStore();
  private final SecureRandom random = new SecureRandom();
  private final WebAuthn webauthn = new WebAuthn(SETTINGS, store, now::get, random);
  private final SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN, random);

  private RegistrationStart.Ready startRegistration(StaffId staff) {
    return (RegistrationStart.Ready) webauthn.startRegistration(staff, "Ada Lovelace");
  }

  private AssertionStart.Ready startAssertion(StaffId staff) {
    return (AssertionStart.Ready) webauthn.startAssertion(staff);
  }

  private WebAuthnCredential register(StaffId staff, SoftwareAuthenticator authenticator) {
    RegistrationStart.Ready start = startRegistration(staff);
    Registration result = webauthn.finishRegistration(staff, start.requestJson(), authenticator.create(start.optionsJson()),
        "YubiKey 5C NFC");
    return ((Registration.Registered) result).credential();
  }

  private Assertion assertWith(StaffId staff, SoftwareAuthenticator authenticator) {
    AssertionStart.Ready start = startAssertion(staff);
    return webauthn.finishAssertion(staff, start.requestJson(), authenticator.get(start.optionsJson()));
  }

  private long storedCount(CredentialId id) {
    return store.find(id).orElseThrow().signatureCount();
  }

  private static Assertion.Refused refused(Assertion.Reason reason, CredentialId id) {
    return new Assertion.Refused(reason, Optional.of(id));
  }

  private static JsonNode parse(String json) throws Exception {
    return SoftwareAuthenticator.JSON.readTree(json);
  }

  // --- the round trip --------------------------------------------------------------------------

  @Test
  void registration_thenAssertion_provesTheSecondFactor() {
    WebAuthnCredential credential = register(ALICE, key);
    now.set(now.get().plusSeconds(3600));

    Assertion result = assertWith(ALICE, key);

    assertThat(result).isEqualTo(new Assertion.Asserted(key.id(), 1));
    WebAuthnCredential stored = store.find(credential.credentialId()).orElseThrow();
    assertThat(stored.signatureCount()).isEqualTo(1);
    assertThat(stored.lastUsedAt()).contains(Instant.parse("2026-11-21T11:00:00.123456Z"));
  }

  @Test
  void registeredCredential_holdsTheAuthenticatorsKeyAndState() {
    key.counter = 3;

    WebAuthnCredential credential = register(ALICE, key);

    assertThat(credential.staff()).isEqualTo(ALICE);
    assertThat(credential.credentialId()).isEqualTo(key.id());
    assertThat(credential.publicKeyCose()).isEqualTo(key.publicKeyCose());
    assertThat(credential.signatureCount()).isEqualTo(3);
    assertThat(credential.userHandle()).isEqualTo(WebAuthn.userHandle(ALICE));
    assertThat(credential.nickname()).isEqualTo("YubiKey 5C NFC");
    assertThat(credential.transports()).containsExactly("nfc", "usb");
    assertThat(credential.createdAt()).isEqualTo(Instant.parse("2026-11-21T10:00:00.123456Z"));
    assertThat(credential.lastUsedAt()).isEmpty();
    assertThat(credential.backupEligible()).isFalse();
    assertThat(store.forStaff(ALICE)).containsExactly(credential);
  }

  @Test
  void syncedPasskey_isRegisteredWithItsBackupFlags() {
    key.flags |= SoftwareAuthenticator.BE | SoftwareAuthenticator.BS;
    key.counterStep = 0;

    WebAuthnCredential credential = register(ALICE, key);

    assertThat(credential.backupEligible()).isTrue();
    assertThat(credential.backedUp()).isTrue();
    assertThat(assertWith(ALICE, key)).isEqualTo(new Assertion.Asserted(key.id(), 0));
  }

  @Test
  void registrationOptions_requireUserVerification_askForNoAttestation_andNameTheStaffMember() throws Exception {
    JsonNode options = parse(startRegistration(ALICE).optionsJson()).path("publicKey");

    assertThat(options.path("rp").path("id").asText()).isEqualTo("localhost");
    assertThat(options.path("rp").path("name").asText()).isEqualTo("Custos");
    assertThat(options.path("user").path("name").asText()).isEqualTo("agent-17");
    assertThat(options.path("user").path("displayName").asText()).isEqualTo("Ada Lovelace");
    assertThat(options.path("user").path("id").asText()).isEqualTo(b64(WebAuthn.userHandle(ALICE)));
    assertThat(options.path("authenticatorSelection").path("userVerification").asText()).isEqualTo("required");
    assertThat(options.path("authenticatorSelection").has("authenticatorAttachment"))
        .as("platform and roaming authenticators alike").isFalse();
    assertThat(options.path("attestation").asText()).isEqualTo("none");
    assertThat(Base64.getUrlDecoder().decode(options.path("challenge").asText())).hasSize(32);
    assertThat(options.path("timeout").asLong()).isEqualTo(Duration.ofMinutes(5).toMillis());
    assertThat(options.path("pubKeyCredParams").findValuesAsText("alg")).contains("-7", "-8");
  }

  @Test
  void assertionOptions_allowOnlyTheStaffMembersCredentials_andRequireUserVerification() throws Exception {
    register(ALICE, key);
    SoftwareAuthenticator second = new SoftwareAuthenticator(ORIGIN, random);
    register(ALICE, second);
    register(BOB, new SoftwareAuthenticator(ORIGIN, random));

    String optionsJson = startAssertion(ALICE).optionsJson();

    assertThat(ids(optionsJson, "allowCredentials")).containsExactlyInAnyOrder(key.id().base64Url(), second.id().base64Url());
    JsonNode options = parse(optionsJson).path("publicKey");
    assertThat(options.path("rpId").asText()).isEqualTo("localhost");
    assertThat(options.path("userVerification").asText()).isEqualTo("required");
    assertThat(options.path("allowCredentials").get(0).path("transports")).hasSize(2);
  }

  @Test
  void everyCeremony_hasAFreshChallenge() throws Exception {
    register(ALICE, key);

    String first = parse(startAssertion(ALICE).optionsJson()).path("publicKey").path("challenge").asText();
    String second = parse(startAssertion(ALICE).optionsJson()).path("publicKey").path("challenge").asText();

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void userHandle_isThirtyTwoBytes_derivedFromTheStaffId() {
    assertThat(WebAuthn.userHandle(ALICE)).hasSize(32).isEqualTo(WebAuthn.userHandle(new StaffId("agent-17")));
    assertThat(WebAuthn.userHandle(ALICE)).isNotEqualTo(WebAuthn.userHandle(BOB));
  }

  // --- challenges and replays ------------------------------------------------------------------

  @Test
  void assertion_answeringAnotherRequest_isRefused() {
    register(ALICE, key);
    AssertionStart.Ready answered = startAssertion(ALICE);
    AssertionStart.Ready other = startAssertion(ALICE);

    Assertion result = webauthn.finishAssertion(ALICE, other.requestJson(), key.get(answered.optionsJson()));

    assertThat(result).isEqualTo(refused(Assertion.Reason.VERIFICATION_FAILED, key.id()));
    assertThat(storedCount(key.id())).isZero();
  }

  @Test
  void replayedAssertion_againstANewRequest_isRefused() {
    register(ALICE, key);
    AssertionStart.Ready first = startAssertion(ALICE);
    String response = key.get(first.optionsJson());
    assertThat(webauthn.finishAssertion(ALICE, first.requestJson(), response)).isInstanceOf(Assertion.Asserted.class);

    Assertion replay = webauthn.finishAssertion(ALICE, startAssertion(ALICE).requestJson(), response);

    assertThat(replay).isEqualTo(refused(Assertion.Reason.VERIFICATION_FAILED, key.id()));
  }

  @Test
  void replayedAssertion_againstItsOwnRequestKeptByMistake_isRefusedByTheCounter() {
    register(ALICE, key);
    AssertionStart.Ready first = startAssertion(ALICE);
    String response = key.get(first.optionsJson());
    webauthn.finishAssertion(ALICE, first.requestJson(), response);

    Assertion replay = webauthn.finishAssertion(ALICE, first.requestJson(), response);

    assertThat(replay).isEqualTo(new Assertion.Refused(Assertion.Reason.COUNTER_REGRESSED, Optional.of(key.id()),
        Optional.of(new Assertion.CounterRegression(1, 1))));
  }

  @Test
  void replayFromAnAuthenticatorWithoutCounter_againstANewRequest_isRefused() {
    key.counterStep = 0;
    register(ALICE, key);
    AssertionStart.Ready first = startAssertion(ALICE);
    String response = key.get(first.optionsJson());
    assertThat(webauthn.finishAssertion(ALICE, first.requestJson(), response)).isEqualTo(new Assertion.Asserted(key.id(), 0));

    Assertion replay = webauthn.finishAssertion(ALICE, startAssertion(ALICE).requestJson(), response);

    assertThat(replay).isEqualTo(refused(Assertion.Reason.VERIFICATION_FAILED, key.id()));
  }

  @Test
  void registration_answeringAnotherRequest_isRefused() {
    RegistrationStart.Ready answered = startRegistration(ALICE);
    RegistrationStart.Ready other = startRegistration(ALICE);

    Registration result = webauthn.finishRegistration(ALICE, other.requestJson(), key.create(answered.optionsJson()), "key");

    assertThat(result).isEqualTo(new Registration.Refused(Registration.Reason.VERIFICATION_FAILED));
    assertThat(store.forStaff(ALICE)).isEmpty();
  }

  // --- origin, relying party, type, flags, signature -------------------------------------------

  @Test
  void assertion_fromAnotherOrigin_isRefused() {
    register(ALICE, key);

    for (String origin : List.of("http://localhost:8081", "https://localhost:8080", "http://evil.localhost:8080",
        "http://localhost:8080/", "https://phish.example")) {
      key.origin = origin;
      assertThat(assertWith(ALICE, key)).as(origin).isEqualTo(refused(Assertion.Reason.VERIFICATION_FAILED, key.id()));
    }
    assertThat(storedCount(key.id())).isZero();
  }

  @Test
  void registration_fromAnotherOrigin_isRefused() {
    key.origin = "https://phish.example";
    RegistrationStart.Ready start = startRegistration(ALICE);

    Registration result = webauthn.finishRegistration(ALICE, start.requestJson(), key.create(start.optionsJson()), "key");

    assertThat(result).isEqualTo(new Registration.Refused(Registration.Reason.VERIFICATION_FAILED));
  }

  @Test
  void assertion_scopedToAnotherRelyingParty_isRefused() {
    register(ALICE, key);
    key.rpId = "phish.example";

    assertThat(assertWith(ALICE, key)).isEqualTo(refused(Assertion.Reason.VERIFICATION_FAILED, key.id()));
  }

  @Test
  void registration_scopedToAnotherRelyingParty_isRefused() {
    key.rpId = "phish.example";
    RegistrationStart.Ready start = startRegistration(ALICE);

    Registration result = webauthn.finishRegistration(ALICE, start.requestJson(), key.create(start.optionsJson()), "key");

    assertThat(result).isEqualTo(new Registration.Refused(Registration.Reason.VERIFICATION_FAILED));
  }

  @Test
  void clientDataOfTheOtherCeremonyType_isRefused() {
    key.type = "webauthn.get";
    RegistrationStart.Ready start = startRegistration(ALICE);
    assertThat(webauthn.finishRegistration(ALICE, start.requestJson(), key.create(start.optionsJson()), "key"))
        .isEqualTo(new Registration.Refused(Registration.Reason.VERIFICATION_FAILED));
    key.type = null;
    register(ALICE, key);
    key.type = "webauthn.create";

    assertThat(assertWith(ALICE, key)).isEqualTo(refused(Assertion.Reason.VERIFICATION_FAILED, key.id()));
  }

  @Test
  void assertion_withoutUserVerification_isRefused() {
    register(ALICE, key);
    key.flags = SoftwareAuthenticator.UP;

    assertThat(assertWith(ALICE, key)).isEqualTo(refused(Assertion.Reason.VERIFICATION_FAILED, key.id()));
    assertThat(storedCount(key.id())).isZero();
  }

  @Test
  void assertion_withoutUserPresence_isRefused() {
    register(ALICE, key);
    key.flags = SoftwareAuthenticator.UV;

    assertThat(assertWith(ALICE, key)).isEqualTo(refused(Assertion.Reason.VERIFICATION_FAILED, key.id()));
  }

  @Test
  void registration_withoutUserVerification_isRefused() {
    key.flags = SoftwareAuthenticator.UP;
    RegistrationStart.Ready start = startRegistration(ALICE);

    Registration result = webauthn.finishRegistration(ALICE, start.requestJson(), key.create(start.optionsJson()), "key");

    assertThat(result).isEqualTo(new Registration.Refused(Registration.Reason.VERIFICATION_FAILED));
    assertThat(store.forStaff(ALICE)).isEmpty();
  }

  @Test
  void assertion_withATamperedSignature_isRefused() throws Exception {
    register(ALICE, key);
    AssertionStart.Ready start = startAssertion(ALICE);
    ObjectNode response = (ObjectNode) parse(key.get(start.optionsJson()));
    ObjectNode inner = (ObjectNode) response.path("response");
    byte[] signature = Base64.getUrlDecoder().decode(inner.path("signature").asText());
    signature[signature.length - 1] ^= 1;
    inner.put("signature", b64(signature));

    assertThat(webauthn.finishAssertion(ALICE, start.requestJson(), response.toString()))
        .isEqualTo(refused(Assertion.Reason.VERIFICATION_FAILED, key.id()));
  }

  @Test
  void assertion_signedByAnotherKeyUnderTheRegisteredId_isRefused() {
    register(ALICE, key);
    // A clone that knows the credential id but not the private key.
    SoftwareAuthenticator impostor = new SoftwareAuthenticator(ORIGIN, random);
    AssertionStart.Ready start = startAssertion(ALICE);
    String forged = impostorResponse(impostor, start.optionsJson());

    assertThat(webauthn.finishAssertion(ALICE, start.requestJson(), forged))
        .isEqualTo(refused(Assertion.Reason.VERIFICATION_FAILED, key.id()));
  }

  /** The impostor's assertion with the registered credential's id written over its own. */
  private String impostorResponse(SoftwareAuthenticator impostor, String optionsJson) {
    impostor.ignoreAllowList = true;
    impostor.create(startRegistration(ALICE).optionsJson()); // learns Alice's user handle
    try {
      ObjectNode response = (ObjectNode) parse(impostor.get(optionsJson));
      response.put("id", key.id().base64Url()).put("rawId", key.id().base64Url());
      return response.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // --- signature counter -----------------------------------------------------------------------

  @Test
  void counterGoingBackwards_isRefusedAsRegressed_andTheStoredCountStays() {
    register(ALICE, key);
    key.counter = 9;
    assertThat(assertWith(ALICE, key)).isEqualTo(new Assertion.Asserted(key.id(), 10));
    AssertionStart.Ready start = startAssertion(ALICE);

    Assertion result = webauthn.finishAssertion(ALICE, start.requestJson(), key.get(start.optionsJson(), 7));

    assertThat(result).isEqualTo(new Assertion.Refused(Assertion.Reason.COUNTER_REGRESSED, Optional.of(key.id()),
        Optional.of(new Assertion.CounterRegression(10, 7))));
    assertThat(storedCount(key.id())).isEqualTo(10);
  }

  @Test
  void counterStandingStill_isRefusedAsRegressed() {
    register(ALICE, key);
    assertWith(ALICE, key);
    AssertionStart.Ready start = startAssertion(ALICE);

    Assertion result = webauthn.finishAssertion(ALICE, start.requestJson(), key.get(start.optionsJson(), 1));

    assertThat(result).isEqualTo(new Assertion.Refused(Assertion.Reason.COUNTER_REGRESSED, Optional.of(key.id()),
        Optional.of(new Assertion.CounterRegression(1, 1))));
  }

  @Test
  void counterDroppingToZero_isRefusedAsRegressed() {
    register(ALICE, key);
    assertWith(ALICE, key);
    AssertionStart.Ready start = startAssertion(ALICE);

    Assertion result = webauthn.finishAssertion(ALICE, start.requestJson(), key.get(start.optionsJson(), 0));

    assertThat(result).isEqualTo(new Assertion.Refused(Assertion.Reason.COUNTER_REGRESSED, Optional.of(key.id()),
        Optional.of(new Assertion.CounterRegression(1, 0))));
  }

  @Test
  void authenticatorWithoutCounter_isAcceptedEveryTime_andItsUseRecorded() {
    key.counterStep = 0;
    register(ALICE, key);

    assertThat(assertWith(ALICE, key)).isEqualTo(new Assertion.Asserted(key.id(), 0));
    now.set(now.get().plusSeconds(60));
    assertThat(assertWith(ALICE, key)).isEqualTo(new Assertion.Asserted(key.id(), 0));

    assertThat(store.find(key.id()).orElseThrow().lastUsedAt()).contains(Instant.parse("2026-11-21T10:01:00.123456Z"));
  }

  @Test
  void assertionThatLosesTheRaceToAHigherCount_isRefusedAsRegressed() {
    register(ALICE, key);
    AssertionStart.Ready slow = startAssertion(ALICE);
    String slowResponse = key.get(slow.optionsJson()); // count 1
    AssertionStart.Ready fast = startAssertion(ALICE);
    String fastResponse = key.get(fast.optionsJson()); // count 2
    // The fast one is recorded while the slow one is between its lookup and its compare-and-set.
    WebAuthn racing = new WebAuthn(SETTINGS, new DelegatingStore(store) {
      @Override
      public boolean updateSignatureCount(CredentialId id, long count, Instant usedAt) {
        assertThat(webauthn.finishAssertion(ALICE, fast.requestJson(), fastResponse))
            .isEqualTo(new Assertion.Asserted(key.id(), 2));
        return super.updateSignatureCount(id, count, usedAt);
      }
    }, now::get, random);

    Assertion result = racing.finishAssertion(ALICE, slow.requestJson(), slowResponse);

    assertThat(result).isEqualTo(new Assertion.Refused(Assertion.Reason.COUNTER_REGRESSED, Optional.of(key.id()),
        Optional.of(new Assertion.CounterRegression(2, 1))));
    assertThat(storedCount(key.id())).isEqualTo(2);
  }

  // --- accounts and credentials ----------------------------------------------------------------

  @Test
  void credentialOfAnotherStaffMember_isRefusedAsWrongAccount() {
    register(ALICE, key);
    SoftwareAuthenticator bobsKey = new SoftwareAuthenticator(ORIGIN, random);
    register(BOB, bobsKey);
    bobsKey.ignoreAllowList = true;
    AssertionStart.Ready start = startAssertion(ALICE);

    Assertion result = webauthn.finishAssertion(ALICE, start.requestJson(), bobsKey.get(start.optionsJson()));

    assertThat(result).isEqualTo(refused(Assertion.Reason.WRONG_ACCOUNT, bobsKey.id()));
    assertThat(storedCount(bobsKey.id())).isZero();
  }

  @Test
  void requestIssuedForAnotherStaffMember_isRefusedAsWrongAccount() {
    register(ALICE, key);
    SoftwareAuthenticator bobsKey = new SoftwareAuthenticator(ORIGIN, random);
    register(BOB, bobsKey);
    AssertionStart.Ready bobs = startAssertion(BOB);

    Assertion result = webauthn.finishAssertion(ALICE, bobs.requestJson(), bobsKey.get(bobs.optionsJson()));

    assertThat(result).isEqualTo(refused(Assertion.Reason.WRONG_ACCOUNT, bobsKey.id()));
    assertThat(storedCount(bobsKey.id())).isZero();
  }

  @Test
  void registrationRequestOfAnotherStaffMember_isRefusedAsWrongAccount() {
    RegistrationStart.Ready bobs = startRegistration(BOB);

    Registration result = webauthn.finishRegistration(ALICE, bobs.requestJson(), key.create(bobs.optionsJson()), "key");

    assertThat(result).isEqualTo(new Registration.Refused(Registration.Reason.WRONG_ACCOUNT));
    assertThat(store.find(key.id())).isEmpty();
  }

  @Test
  void unregisteredCredential_isRefusedAsUnknown() {
    register(ALICE, key);
    SoftwareAuthenticator stranger = new SoftwareAuthenticator(ORIGIN, random);
    stranger.ignoreAllowList = true;
    stranger.create(startRegistration(ALICE).optionsJson()); // made, never finished

    assertThat(assertWith(ALICE, stranger)).isEqualTo(refused(Assertion.Reason.UNKNOWN_CREDENTIAL, stranger.id()));
  }

  @Test
  void removedCredential_isRefusedAsUnknown() {
    register(ALICE, key);
    AssertionStart.Ready start = startAssertion(ALICE);
    store.remove(ALICE, key.id());

    Assertion result = webauthn.finishAssertion(ALICE, start.requestJson(), key.get(start.optionsJson()));

    assertThat(result).isEqualTo(refused(Assertion.Reason.UNKNOWN_CREDENTIAL, key.id()));
  }

  @Test
  void reRegistration_excludesTheCredentialsAlreadyRegistered() {
    register(ALICE, key);
    SoftwareAuthenticator second = new SoftwareAuthenticator(ORIGIN, random);

    RegistrationStart.Ready again = startRegistration(ALICE);

    assertThat(ids(again.optionsJson(), "excludeCredentials")).containsExactly(key.id().base64Url());
    assertThatThrownBy(() -> key.create(again.optionsJson())).hasMessageContaining("InvalidStateError");
    Registration added = webauthn.finishRegistration(ALICE, again.requestJson(), second.create(again.optionsJson()), "spare");
    assertThat(added).isInstanceOf(Registration.Registered.class);
    assertThat(ids(startRegistration(ALICE).optionsJson(), "excludeCredentials"))
        .containsExactlyInAnyOrder(key.id().base64Url(), second.id().base64Url());
  }

  @Test
  void excludedCredential_forcedThroughByARogueClient_isRefusedAsAlreadyRegistered() {
    WebAuthnCredential first = register(ALICE, key);
    key.ignoreExcludeList = true;
    RegistrationStart.Ready again = startRegistration(ALICE);

    Registration result = webauthn.finishRegistration(ALICE, again.requestJson(), key.create(again.optionsJson()), "again");

    assertThat(result).isEqualTo(new Registration.Refused(Registration.Reason.ALREADY_REGISTERED));
    assertThat(store.forStaff(ALICE)).containsExactly(first);
  }

  @Test
  void credentialRegisteredToAnotherStaffMember_isRefusedAsAlreadyRegistered() {
    WebAuthnCredential alices = register(ALICE, key);
    RegistrationStart.Ready bobs = startRegistration(BOB);

    Registration result = webauthn.finishRegistration(BOB, bobs.requestJson(), key.create(bobs.optionsJson()), "mine now");

    assertThat(result).isEqualTo(new Registration.Refused(Registration.Reason.ALREADY_REGISTERED));
    assertThat(store.find(key.id())).contains(alices);
  }

  @Test
  void registration_beyondTheLimit_isRefused() {
    for (int i = 0; i < WebAuthn.MAX_CREDENTIALS; i++) {
      register(ALICE, new SoftwareAuthenticator(ORIGIN, random));
    }

    assertThat(webauthn.startRegistration(ALICE, "Ada"))
        .isEqualTo(new RegistrationStart.Refused(RegistrationStart.Reason.TOO_MANY_CREDENTIALS));
  }

  @Test
  void assertion_withoutAnyCredential_isNotStarted() {
    register(BOB, key);

    assertThat(webauthn.startAssertion(ALICE)).isEqualTo(new AssertionStart.Refused(AssertionStart.Reason.NO_CREDENTIALS));
  }

  // --- bad input -------------------------------------------------------------------------------

  @Test
  void badDisplayName_isRefused() {
    for (String name : new String[] {null, "", "  ", " Ada", "Ada\n", "A\u0000da", "x".repeat(65)}) {
      assertThat(webauthn.startRegistration(ALICE, name)).as("%s", name)
          .isEqualTo(new RegistrationStart.Refused(RegistrationStart.Reason.INVALID_DISPLAY_NAME));
    }
  }

  @Test
  void badNickname_isRefused_beforeAnythingIsStored() {
    RegistrationStart.Ready start = startRegistration(ALICE);
    String response = key.create(start.optionsJson());

    for (String nickname : new String[] {null, "", " key", "key\t", "k\u2028ey", "x".repeat(65)}) {
      assertThat(webauthn.finishRegistration(ALICE, start.requestJson(), response, nickname)).as("%s", nickname)
          .isEqualTo(new Registration.Refused(Registration.Reason.INVALID_NICKNAME));
    }
    assertThat(store.forStaff(ALICE)).isEmpty();
  }

  static final List<String> MALFORMED = List.of("", " ", "{", "}", "null", "[]", "{}", "0", "\"text\"", "not json",
      "{\"id\":\"\",\"type\":\"public-key\"}", "{\"id\":123,\"response\":[]}",
      "{\"id\":\"AAAA\",\"type\":\"public-key\",\"response\":{},\"clientExtensionResults\":{}}",
      "{\"id\":\"AAAA\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"!!\",\"authenticatorData\":\"AA\","
          + "\"signature\":\"AA\"},\"clientExtensionResults\":{}}",
      "{\"id\":\"AAAA\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"AAAA\",\"attestationObject\":\"AAAA\"},"
          + "\"clientExtensionResults\":{}}",
      "[".repeat(100_000));

  @Test
  void malformedAssertionJson_isRefused_withoutAnException() {
    register(ALICE, key);
    AssertionStart.Ready start = startAssertion(ALICE);
    String good = key.get(start.optionsJson());

    for (String bad : MALFORMED) {
      assertThat(webauthn.finishAssertion(ALICE, start.requestJson(), bad)).as(bad)
          .isInstanceOfSatisfying(Assertion.Refused.class,
              r -> assertThat(r.reason()).isIn(Assertion.Reason.MALFORMED, Assertion.Reason.UNKNOWN_CREDENTIAL));
      assertThat(webauthn.finishAssertion(ALICE, bad, good)).as(bad)
          .isEqualTo(new Assertion.Refused(Assertion.Reason.MALFORMED, Optional.empty()));
    }
    assertThat(webauthn.finishAssertion(ALICE, null, null))
        .isEqualTo(new Assertion.Refused(Assertion.Reason.MALFORMED, Optional.empty()));
    assertThat(webauthn.finishAssertion(ALICE, start.requestJson(), good)).isInstanceOf(Assertion.Asserted.class);
  }

  @Test
  void malformedRegistrationJson_isRefused_withoutAnException() {
    RegistrationStart.Ready start = startRegistration(ALICE);
    String good = key.create(start.optionsJson());

    for (String bad : MALFORMED) {
      assertThat(webauthn.finishRegistration(ALICE, start.requestJson(), bad, "key")).as(bad)
          .isEqualTo(new Registration.Refused(Registration.Reason.MALFORMED));
      assertThat(webauthn.finishRegistration(ALICE, bad, good, "key")).as(bad)
          .isEqualTo(new Registration.Refused(Registration.Reason.MALFORMED));
    }
    assertThat(webauthn.finishRegistration(ALICE, null, null, "key"))
        .isEqualTo(new Registration.Refused(Registration.Reason.MALFORMED));
    assertThat(webauthn.finishRegistration(ALICE, start.requestJson(), good, "key")).isInstanceOf(Registration.Registered.class);
  }

  @Test
  void assertionResponseGivenAsRegistration_andViceVersa_isRefused() {
    RegistrationStart.Ready registration = startRegistration(ALICE);
    String created = key.create(registration.optionsJson());
    webauthn.finishRegistration(ALICE, registration.requestJson(), created, "key");
    AssertionStart.Ready assertion = startAssertion(ALICE);
    String asserted = key.get(assertion.optionsJson());

    assertThat(webauthn.finishAssertion(ALICE, assertion.requestJson(), created)).isInstanceOf(Assertion.Refused.class);
    assertThat(webauthn.finishAssertion(ALICE, registration.requestJson(), asserted)).isInstanceOf(Assertion.Refused.class);
    assertThat(webauthn.finishRegistration(ALICE, registration.requestJson(), asserted, "key"))
        .isInstanceOf(Registration.Refused.class);
    assertThat(webauthn.finishRegistration(ALICE, assertion.requestJson(), created, "key"))
        .isInstanceOf(Registration.Refused.class);
  }

  // --- the store failing -----------------------------------------------------------------------

  @Test
  void storeDown_isUnavailable_atEveryStep_andNeverASuccess() {
    register(ALICE, key);
    AssertionStart.Ready assertion = startAssertion(ALICE);
    String asserted = key.get(assertion.optionsJson());
    SoftwareAuthenticator second = new SoftwareAuthenticator(ORIGIN, random);
    RegistrationStart.Ready registration = startRegistration(ALICE);
    String created = second.create(registration.optionsJson());
    store.failing = true;

    assertThat(webauthn.startRegistration(ALICE, "Ada"))
        .isEqualTo(new RegistrationStart.Refused(RegistrationStart.Reason.UNAVAILABLE));
    assertThat(webauthn.finishRegistration(ALICE, registration.requestJson(), created, "spare"))
        .isEqualTo(new Registration.Refused(Registration.Reason.UNAVAILABLE));
    assertThat(webauthn.startAssertion(ALICE)).isEqualTo(new AssertionStart.Refused(AssertionStart.Reason.UNAVAILABLE));
    assertThat(webauthn.finishAssertion(ALICE, assertion.requestJson(), asserted))
        .isEqualTo(refused(Assertion.Reason.UNAVAILABLE, key.id()));

    store.failing = false;
    assertThat(webauthn.finishAssertion(ALICE, assertion.requestJson(), asserted)).isEqualTo(new Assertion.Asserted(key.id(), 1));
  }

  @Test
  void storeFailingOnlyWhenRecordingTheCount_isUnavailable() {
    register(ALICE, key);
    WebAuthn failingLate = new WebAuthn(SETTINGS, new DelegatingStore(store) {
      @Override
      public boolean updateSignatureCount(CredentialId id, long count, Instant usedAt) {
        throw new IllegalStateException("connection reset");
      }
    }, now::get, random);
    AssertionStart.Ready start = startAssertion(ALICE);

    assertThat(failingLate.finishAssertion(ALICE, start.requestJson(), key.get(start.optionsJson())))
        .isEqualTo(refused(Assertion.Reason.UNAVAILABLE, key.id()));
    assertThat(storedCount(key.id())).isZero();
  }

  @Test
  void storeFailingInsideVerification_isUnavailable_notAVerificationFailure() {
    register(ALICE, key);
    AtomicReference<Integer> finds = new AtomicReference<>(0);
    WebAuthn failingMidway = new WebAuthn(SETTINGS, new DelegatingStore(store) {
      @Override
      public Optional<WebAuthnCredential> find(CredentialId id) {
        // The first lookup is Custos's own; the second is Yubico's, inside its verification steps.
        if (finds.getAndUpdate(n -> n + 1) >= 1) {
          throw new IllegalStateException("connection reset");
        }
        return super.find(id);
      }
    }, now::get, random);
    AssertionStart.Ready start = startAssertion(ALICE);

    assertThat(failingMidway.finishAssertion(ALICE, start.requestJson(), key.get(start.optionsJson())))
        .isEqualTo(refused(Assertion.Reason.UNAVAILABLE, key.id()));
    assertThat(finds.get()).isEqualTo(2);
  }

  @Test
  void storeFailingOnlyWhenAdding_isUnavailable() {
    WebAuthn failingLate = new WebAuthn(SETTINGS, new DelegatingStore(store) {
      @Override
      public boolean add(WebAuthnCredential credential) {
        throw new IllegalStateException("connection reset");
      }
    }, now::get, random);
    RegistrationStart.Ready start = startRegistration(ALICE);

    assertThat(failingLate.finishRegistration(ALICE, start.requestJson(), key.create(start.optionsJson()), "key"))
        .isEqualTo(new Registration.Refused(Registration.Reason.UNAVAILABLE));
  }

  /** A store that forwards to another, for tests that make one call misbehave. */
  static class DelegatingStore implements WebAuthnCredentialStore {
    private final WebAuthnCredentialStore inner;

    DelegatingStore(WebAuthnCredentialStore inner) {
      this.inner = inner;
    }

    @Override
    public boolean add(WebAuthnCredential credential) {
      return inner.add(credential);
    }

    @Override
    public List<WebAuthnCredential> forStaff(StaffId staff) {
      return inner.forStaff(staff);
    }

    @Override
    public Optional<WebAuthnCredential> find(CredentialId id) {
      return inner.find(id);
    }

    @Override
    public List<WebAuthnCredential> forUserHandle(byte[] userHandle) {
      return inner.forUserHandle(userHandle);
    }

    @Override
    public boolean updateSignatureCount(CredentialId id, long count, Instant usedAt) {
      return inner.updateSignatureCount(id, count, usedAt);
    }

    @Override
    public boolean remove(StaffId staff, CredentialId id) {
      return inner.remove(staff, id);
    }

    @Override
    public int removeAll(StaffId staff) {
      return inner.removeAll(staff);
    }
  }
}
