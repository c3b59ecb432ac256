package dev.custos.identity.webauthn;

import static dev.custos.identity.webauthn.SoftwareAuthenticator.b64;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custos.access.StaffId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever a browser, a proxy or an attacker sends as a response, and whatever comes back as a
 * request, {@link WebAuthn} answers with a result and never throws; nothing but the real
 * authenticator's signature is ever accepted.
 */
class WebAuthnFuzzTest {
  private static final String ORIGIN = "http://localhost:8080";
  private static final StaffId ALICE = new StaffId("agent-17");

  private final SecureRandom random = new SecureRandom();
  private final InMemoryWebAuthnCredentialStore store = new InMemoryWebAuthnCredentialStore();
  private final WebAuthn webauthn = new WebAuthn(WebAuthnSettings.of("localhost", "Custos", Set.of(ORIGIN)), store,
      () -> Instant.parse("2026-11-21T10:00:00Z"), random);
  private final SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN, random);
  private final RegistrationStart.Ready registration;
  private final String created;
  private final AssertionStart.Ready assertion;
  private final String asserted;
  private final String assertionChallenge;
  private final String registrationChallenge;

  WebAuthnFuzzTest() {
    RegistrationStart.Ready first = (RegistrationStart.Ready) webauthn.startRegistration(ALICE, "Ada");
    webauthn.finishRegistration(ALICE, first.requestJson(), key.create(first.optionsJson()), "key");
    registration = (RegistrationStart.Ready) webauthn.startRegistration(ALICE, "Ada");
    created = new SoftwareAuthenticator(ORIGIN, random).create(registration.optionsJson());
    assertion = (AssertionStart.Ready) webauthn.startAssertion(ALICE);
    asserted = key.get(assertion.optionsJson());
    assertionChallenge = readChallenge(assertion.optionsJson());
    registrationChallenge = readChallenge(registration.optionsJson());
  }

  private static String readChallenge(String optionsJson) {
    try {
      return SoftwareAuthenticator.JSON.readTree(optionsJson).path("publicKey").path("challenge").asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // Tries are bounded by cost: each finish parses the request with a fresh Yubico ObjectMapper (~5 ms).
  @Property(tries = 250)
  void anyText_asAResponse_isRefusedWithoutThrowing(@ForAll String text) {
    assertThat(webauthn.finishAssertion(ALICE, assertion.requestJson(), text)).isInstanceOf(Assertion.Refused.class);
    assertThat(webauthn.finishRegistration(ALICE, registration.requestJson(), text, "key"))
        .isInstanceOf(Registration.Refused.class);
  }

  @Property(tries = 500)
  void anyText_asARequest_isRefusedWithoutThrowing(@ForAll String text) {
    assertThat(webauthn.finishAssertion(ALICE, text, asserted)).isInstanceOf(Assertion.Refused.class);
    assertThat(webauthn.finishRegistration(ALICE, text, created, "key")).isInstanceOf(Registration.Refused.class);
  }

  @Property(tries = 250)
  void anyOneCharacterEdit_ofARealResponse_neverThrows_andNeverAssertsAnotherCredential(
      @ForAll @IntRange(min = 0, max = 2000) int position, @ForAll char replacement) {
    String edited = edit(asserted, position, replacement);

    Assertion result = webauthn.finishAssertion(ALICE, assertion.requestJson(), edited);

    // An edit outside the signed bytes (a JSON key Yubico ignores, white space) may still verify.
    if (result instanceof Assertion.Asserted a) {
      assertThat(a.credentialId()).isEqualTo(key.id());
    }
    assertThat(webauthn.finishRegistration(ALICE, registration.requestJson(), edit(created, position, replacement), "k"))
        .isNotNull();
  }

  @Property(tries = 500)
  void wellFormedResponsesWithForgedContents_areRefusedWithoutThrowing(@ForAll("forgedAssertions") String response) {
    assertThat(webauthn.finishAssertion(ALICE, assertion.requestJson(), response)).isInstanceOf(Assertion.Refused.class);
  }

  @Property(tries = 500)
  void wellFormedRegistrationsWithForgedContents_areRefusedWithoutThrowing(
      @ForAll("forgedRegistrations") String response) {
    assertThat(webauthn.finishRegistration(ALICE, registration.requestJson(), response, "key"))
        .isInstanceOf(Registration.Refused.class);
  }

  private static String edit(String text, int position, char replacement) {
    int at = position % text.length();
    return text.substring(0, at) + replacement + text.substring(at + 1);
  }

  private static Arbitrary<byte[]> bytes(int max) {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(max);
  }

  /** Client data that is right, or JSON with wrong values, or noise. */
  private static Arbitrary<byte[]> clientData(String type, String challenge) {
    Arbitrary<byte[]> right = Arbitraries.just(json(type, challenge, ORIGIN));
    Arbitrary<byte[]> wrong = Combinators.combine(
            Arbitraries.of(type, "webauthn.get", "webauthn.create", "payment.get", ""),
            Arbitraries.of(challenge, "", "AAAA", b64(new byte[32])),
            Arbitraries.of(ORIGIN, "https://phish.example", "null", ""))
        .as(WebAuthnFuzzTest::json);
    return Arbitraries.oneOf(right, wrong, bytes(200));
  }

  private static byte[] json(String type, String challenge, String origin) {
    ObjectNode node = SoftwareAuthenticator.JSON.createObjectNode()
        .put("type", type).put("challenge", challenge).put("origin", origin);
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Authenticator data with the right relying party hash and random flags, counter and tail, or noise. */
  private static Arbitrary<byte[]> authenticatorData() {
    Arbitrary<byte[]> shaped = Combinators.combine(Arbitraries.integers().between(0, 255),
            Arbitraries.integers(), bytes(120))
        .as((flags, counter, tail) -> ByteBuffer.allocate(37 + tail.length)
            .put(SoftwareAuthenticator.sha256("localhost".getBytes(StandardCharsets.UTF_8)))
            .put((byte) (int) flags).putInt(counter).put(tail).array());
    return Arbitraries.oneOf(shaped, bytes(80));
  }

  @Provide
  Arbitrary<String> forgedAssertions() {
    Arbitrary<byte[]> ids = Arbitraries.oneOf(Arbitraries.just(key.id().bytes()), bytes(64));
    Arbitrary<byte[]> userHandles = Arbitraries.oneOf(Arbitraries.just(WebAuthn.userHandle(ALICE)), bytes(64));
    return Combinators.combine(ids, clientData("webauthn.get", assertionChallenge), authenticatorData(), bytes(80), userHandles)
        .as((id, clientData, authData, signature, userHandle) -> {
          ObjectNode credential = SoftwareAuthenticator.JSON.createObjectNode()
              .put("type", "public-key").put("id", b64(id));
          credential.putObject("response")
              .put("clientDataJSON", b64(clientData))
              .put("authenticatorData", b64(authData))
              .put("signature", b64(signature))
              .put("userHandle", b64(userHandle));
          credential.putObject("clientExtensionResults");
          return credential.toString();
        });
  }

  @Provide
  Arbitrary<String> forgedRegistrations() {
    Arbitrary<byte[]> attestationObjects = Arbitraries.oneOf(bytes(200), authenticatorData().map(authData ->
        new Cbor().map(3).text("fmt").text("none").text("attStmt").map(0).text("authData").bytes(authData).toByteArray()));
    return Combinators.combine(bytes(64).filter(b -> b.length > 0), clientData("webauthn.create", registrationChallenge), attestationObjects)
        .as((id, clientData, attestation) -> {
          ObjectNode credential = SoftwareAuthenticator.JSON.createObjectNode()
              .put("type", "public-key").put("id", b64(id));
          credential.putObject("response")
              .put("clientDataJSON", b64(clientData))
              .put("attestationObject", b64(attestation));
          credential.putObject("clientExtensionResults");
          return credential.toString();
        });
  }
}
