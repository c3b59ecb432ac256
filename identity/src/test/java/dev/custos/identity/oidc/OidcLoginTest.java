package dev.custos.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.oidc.OidcOutcome.Authenticated;
import dev.custos.identity.oidc.OidcOutcome.Reason;
import dev.custos.identity.oidc.OidcOutcome.Refused;
import dev.custos.identity.oidc.OidcOutcome.TokenProblem;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Single sign-on against a real OpenID provider (mock-oauth2-server) in this JVM. */
class OidcLoginTest {
  private MockProvider provider;
  /** Custos's clock runs with the wall clock, shifted by this much. */
  private final AtomicReference<Duration> drift = new AtomicReference<>(Duration.ZERO);
  private final InstantSource clock = () -> Instant.now().plus(drift.get());

  @BeforeEach
  void startProvider() {
    provider = new MockProvider();
  }

  @AfterEach
  void stopProvider() {
    provider.close();
  }

  private OidcLogin login(OidcSettings settings) {
    try {
      return OidcLogin.discover(settings, clock, new SecureRandom());
    } catch (OidcDiscoveryException e) {
      throw new AssertionError(e);
    }
  }

  private OidcLogin login() {
    return login(provider.settings().build());
  }

  /** The whole flow: begin, the browser at the provider, complete. */
  private OidcOutcome signIn(OidcLogin login, Map<String, Object> claims) {
    OidcRedirect redirect = login.begin();
    provider.nextTokens(claims);
    return login.complete(redirect.pending(), provider.authorize(redirect.location()));
  }

  // --- the happy path

  @Test
  void login_withMfaAndAMappedGroup_isAuthenticatedWithTheGroupsRoles() {
    OidcOutcome outcome = signIn(login(), MockProvider.agentClaims());

    assertThat(outcome).isEqualTo(new Authenticated(new StaffId("agent-17"), provider.issuer().toString(), MockProvider.SUBJECT,
        Optional.of("agent17@exchange.example"), Optional.of("Alex Agent"), Set.of(Role.SUPPORT_L1),
        List.of("everyone", "support-agents"), List.of("pwd", "mfa"), Optional.empty(),
        Optional.of(Instant.ofEpochSecond(1_795_000_000L))));
  }

  @Test
  void login_inSeveralMappedGroups_getsEveryMappedRole() {
    Map<String, Object> claims = MockProvider.agentClaims();
    claims.put("groups", List.of("support-agents", "security-team"));

    OidcOutcome outcome = signIn(login(), claims);

    assertThat(outcome).isInstanceOfSatisfying(Authenticated.class,
        a -> assertThat(a.roles()).containsExactlyInAnyOrder(Role.SUPPORT_L1, Role.SECURITY_ANALYST, Role.AUDITOR));
  }

  @Test
  void begin_sendsTheBrowserToTheAuthorizationEndpointWithCodeFlowStateNonceAndPkceS256() throws Exception {
    OidcRedirect redirect = login().begin();

    URI location = redirect.location();
    Map<String, String> query = MockProvider.query(location);
    OidcPending pending = redirect.pending();
    String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(pending.codeVerifier().getBytes(StandardCharsets.US_ASCII)));
    assertThat(location.toString()).startsWith(provider.server.authorizationEndpointUrl(MockProvider.ISSUER_ID).toString());
    assertThat(query).containsEntry("response_type", "code")
        .containsEntry("client_id", MockProvider.CLIENT_ID)
        .containsEntry("redirect_uri", MockProvider.REDIRECT.toString())
        .containsEntry("scope", "openid profile email")
        .containsEntry("state", pending.state())
        .containsEntry("nonce", pending.nonce())
        .containsEntry("code_challenge", challenge)
        .containsEntry("code_challenge_method", "S256")
        .doesNotContainKey("code_verifier");
  }

  @Test
  void begin_givesEachLoginFreshStateNonceAndVerifier() {
    OidcLogin login = login();
    OidcPending first = login.begin().pending();
    OidcPending second = login.begin().pending();

    assertThat(Set.of(first.state(), first.nonce(), first.codeVerifier(), second.state(), second.nonce(), second.codeVerifier()))
        .hasSize(6);
  }

  @Test
  void pendingLogin_storedAsTextAndReadBack_completes() {
    OidcLogin login = login();
    OidcRedirect redirect = login.begin();
    OidcPending stored = OidcPending.parse(redirect.pending().serialize()).orThrow();
    provider.nextTokens(MockProvider.agentClaims());

    assertThat(login.complete(stored, provider.authorize(redirect.location()))).isInstanceOf(Authenticated.class);
  }

  @Test
  void tokenEndpoint_isCalledWithClientSecretBasicAndTheCodeVerifier() {
    OidcLogin login = login();
    OidcRedirect redirect = login.begin();
    provider.nextTokens(MockProvider.agentClaims());
    Map<String, String> callback = provider.authorize(redirect.location());
    provider.takeRequests();

    login.complete(redirect.pending(), callback);

    RecordedRequest token = provider.takeRequests().stream()
        .filter(r -> r.getPath().endsWith("/token")).findFirst().orElseThrow();
    String basic = Base64.getEncoder().encodeToString(
        (MockProvider.CLIENT_ID + ":" + MockProvider.CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    assertThat(token.getHeader("Authorization")).isEqualTo("Basic " + basic);
    assertThat(token.getBody().readUtf8()).contains("code_verifier=" + redirect.pending().codeVerifier())
        .doesNotContain("client_secret");
  }

  // --- multi-factor authentication

  @Test
  void login_withPasswordOnly_isRefusedForMissingMfa() {
    Map<String, Object> claims = MockProvider.agentClaims();
    claims.put("amr", List.of("pwd"));

    assertThat(signIn(login(), claims)).isEqualTo(new Refused(Reason.MFA_MISSING));
  }

  @Test
  void login_withoutAmrOrAcr_isRefusedForMissingMfa() {
    Map<String, Object> claims = MockProvider.agentClaims();
    claims.remove("amr");

    assertThat(signIn(login(), claims)).isEqualTo(new Refused(Reason.MFA_MISSING));
  }

  @Test
  void login_withPasswordOnly_isAccepted_whenMfaIsNotRequired() {
    Map<String, Object> claims = MockProvider.agentClaims();
    claims.put("amr", List.of("pwd"));

    assertThat(signIn(login(provider.settings().requireMfa(false).build()), claims)).isInstanceOf(Authenticated.class);
  }

  @Test
  void login_withAnAcceptedAcr_isAuthenticated() {
    Map<String, Object> claims = MockProvider.agentClaims();
    claims.put("amr", List.of("pwd"));
    claims.put("acr", "phrh");

    assertThat(signIn(login(), claims)).isInstanceOfSatisfying(Authenticated.class,
        a -> assertThat(a.acr()).contains("phrh"));
  }

  @Test
  void login_withAConfiguredAmr_isAuthenticated_andTheDefaultNoLonger() {
    OidcLogin login = login(provider.settings().requiredAmr(List.of("hwk")).requiredAcr(List.of()).build());
    Map<String, Object> hardwareKey = MockProvider.agentClaims();
    hardwareKey.put("amr", List.of("hwk", "user"));

    assertThat(signIn(login, hardwareKey)).isInstanceOf(Authenticated.class);
    assertThat(signIn(login, MockProvider.agentClaims())).isEqualTo(new Refused(Reason.MFA_MISSING));
  }

  // --- username and roles

  @Test
  void login_withoutTheUsernameClaim_isRefused() {
    Map<String, Object> claims = MockProvider.agentClaims();
    claims.remove("preferred_username");

    assertThat(signIn(login(), claims)).isEqualTo(new Refused(Reason.NO_USERNAME));
  }

  @Test
  void login_whoseUsernameIsNoValidStaffId_isRefused() {
    Map<String, Object> claims = MockProvider.agentClaims();
    claims.put("preferred_username", "agent17@exchange.example");

    assertThat(signIn(login(), claims)).isEqualTo(new Refused(Reason.NO_USERNAME));
  }

  @Test
  void login_inNoMappedGroup_isRefused() {
    Map<String, Object> claims = MockProvider.agentClaims();
    claims.put("groups", List.of("everyone", "engineering"));

    assertThat(signIn(login(), claims)).isEqualTo(new Refused(Reason.NO_ROLES));
  }

  @Test
  void login_withoutGroups_isRefused() {
    Map<String, Object> claims = MockProvider.agentClaims();
    claims.remove("groups");

    assertThat(signIn(login(), claims)).isEqualTo(new Refused(Reason.NO_ROLES));
  }

  @Test
  void configuredUsernameAndGroupsClaims_areTheOnesRead() {
    OidcLogin login = login(provider.settings().usernameClaim("staff_id").groupsClaim("roles").build());
    Map<String, Object> claims = MockProvider.agentClaims();
    claims.put("staff_id", "kyc-4");
    claims.put("roles", "security-team");

    assertThat(signIn(login, claims)).isInstanceOfSatisfying(Authenticated.class, a -> {
      assertThat(a.staff()).isEqualTo(new StaffId("kyc-4"));
      assertThat(a.roles()).containsExactlyInAnyOrder(Role.SECURITY_ANALYST, Role.AUDITOR);
    });
  }

  // --- the callback

  @Test
  void callbackWithAnotherLoginsState_isRefused() {
    OidcLogin login = login();
    OidcRedirect mine = login.begin();
    OidcRedirect theirs = login.begin();
    provider.nextTokens(MockProvider.agentClaims());

    assertThat(login.complete(mine.pending(), provider.authorize(theirs.location()))).isEqualTo(new Refused(Reason.STATE_MISMATCH));
  }

  @Test
  void callbackWithoutState_isRefused() {
    OidcLogin login = login();
    OidcRedirect redirect = login.begin();
    Map<String, String> callback = new HashMap<>(provider.authorize(redirect.location()));
    callback.remove("state");

    assertThat(login.complete(redirect.pending(), callback)).isEqualTo(new Refused(Reason.STATE_MISMATCH));
    assertThat(login.complete(redirect.pending(), null)).isEqualTo(new Refused(Reason.STATE_MISMATCH));
  }

  @Test
  void callbackWithAProviderError_isRefused() {
    OidcLogin login = login();
    OidcPending pending = login.begin().pending();

    assertThat(login.complete(pending, Map.of("error", "access_denied", "error_description", "user cancelled", "state", pending.state())))
        .isEqualTo(new Refused(Reason.PROVIDER_ERROR));
  }

  @Test
  void callbackWithNeitherCodeNorError_isRefused() {
    OidcLogin login = login();
    OidcPending pending = login.begin().pending();

    assertThat(login.complete(pending, Map.of("state", pending.state()))).isEqualTo(new Refused(Reason.MALFORMED_CALLBACK));
  }

  @Test
  void callbackNamingAnotherIssuer_isRefused() {
    OidcLogin login = login();
    OidcRedirect redirect = login.begin();
    Map<String, String> callback = new HashMap<>(provider.authorize(redirect.location()));
    callback.put("iss", "https://attacker.example");

    assertThat(login.complete(redirect.pending(), callback)).isEqualTo(new Refused(Reason.WRONG_ISSUER));
  }

  @Test
  void callbackAfterTenMinutes_isRefused() {
    OidcLogin login = login();
    OidcRedirect redirect = login.begin();
    provider.nextTokens(MockProvider.agentClaims());
    Map<String, String> callback = provider.authorize(redirect.location());
    drift.set(OidcLogin.PENDING_LIFETIME.plusSeconds(2));

    assertThat(login.complete(redirect.pending(), callback)).isEqualTo(new Refused(Reason.PENDING_EXPIRED));
  }

  @Test
  void codeUsedTwice_isRefusedByTheTokenEndpoint() {
    OidcLogin login = login();
    OidcRedirect redirect = login.begin();
    provider.nextTokens(MockProvider.agentClaims());
    Map<String, String> callback = provider.authorize(redirect.location());
    assertThat(login.complete(redirect.pending(), callback)).isInstanceOf(Authenticated.class);

    assertThat(login.complete(redirect.pending(), callback)).isEqualTo(new Refused(Reason.TOKEN_EXCHANGE_FAILED));
  }

  @Test
  void codeWithAnotherLoginsVerifier_isRefusedByTheTokenEndpoint() {
    OidcLogin login = login();
    OidcRedirect redirect = login.begin();
    OidcPending other = login.begin().pending();
    OidcPending wrongVerifier = new OidcPending(redirect.pending().state(), redirect.pending().nonce(), other.codeVerifier(),
        redirect.pending().createdAt());
    provider.nextTokens(MockProvider.agentClaims());

    assertThat(login.complete(wrongVerifier, provider.authorize(redirect.location())))
        .isEqualTo(new Refused(Reason.TOKEN_EXCHANGE_FAILED));
  }

  @Test
  void providerDownAtTheTokenEndpoint_isUnavailable() {
    OidcLogin login = login();
    OidcRedirect redirect = login.begin();
    Map<String, String> callback = provider.authorize(redirect.location());
    provider.close();

    assertThat(login.complete(redirect.pending(), callback)).isEqualTo(new Refused(Reason.UNAVAILABLE));
  }

  // --- the ID token

  @Test
  void idTokenWithAnotherLoginsNonce_isRefused() {
    OidcLogin login = login();
    OidcRedirect redirect = login.begin();
    OidcPending other = login.begin().pending();
    // The provider puts the nonce of the request it saw into the token; the server expects another.
    OidcPending expectingOtherNonce = new OidcPending(redirect.pending().state(), other.nonce(), redirect.pending().codeVerifier(),
        redirect.pending().createdAt());
    provider.nextTokens(MockProvider.agentClaims());

    assertThat(login.complete(expectingOtherNonce, provider.authorize(redirect.location())))
        .isEqualTo(Refused.invalidIdToken(TokenProblem.NONCE));
  }

  @Test
  void idTokenExpiredBeyondTheSkew_isRefused() {
    OidcLogin login = login();
    OidcPending pending = login.begin().pending();
    Instant now = Instant.now();
    JWTClaimsSet claims = provider.idTokenClaims(pending)
        .issueTime(Date.from(now.minusSeconds(600)))
        .expirationTime(Date.from(now.minusSeconds(120)))
        .build();

    assertThat(login.acceptIdToken(pending, provider.sign(claims))).isEqualTo(Refused.invalidIdToken(TokenProblem.EXPIRED));
  }

  @Test
  void idTokenExpiredByCustosClock_isRefused() {
    OidcLogin login = login();
    OidcRedirect redirect = login.begin();
    provider.nextTokens(MockProvider.agentClaims(), 60);
    Map<String, String> callback = provider.authorize(redirect.location());
    drift.set(Duration.ofMinutes(5));

    assertThat(login.complete(redirect.pending(), callback)).isEqualTo(Refused.invalidIdToken(TokenProblem.EXPIRED));
  }

  @Test
  void idTokenExpiredWithinTheSkew_isAccepted() {
    OidcLogin login = login();
    OidcPending pending = login.begin().pending();
    Instant now = Instant.now();
    JWTClaimsSet claims = provider.idTokenClaims(pending)
        .issueTime(Date.from(now.minusSeconds(600)))
        .expirationTime(Date.from(now.minusSeconds(30)))
        .build();

    assertThat(login.acceptIdToken(pending, provider.sign(claims))).isInstanceOf(Authenticated.class);
  }

  @Test
  void idTokenIssuedInTheFuture_isRefused() {
    OidcLogin login = login();
    OidcPending pending = login.begin().pending();
    Instant now = Instant.now();
    JWTClaimsSet claims = provider.idTokenClaims(pending)
        .issueTime(Date.from(now.plusSeconds(300)))
        .expirationTime(Date.from(now.plusSeconds(900)))
        .build();

    assertThat(login.acceptIdToken(pending, provider.sign(claims))).isEqualTo(Refused.invalidIdToken(TokenProblem.ISSUED_IN_FUTURE));
  }

  @Test
  void idTokenForAnotherClient_isRefused() {
    OidcLogin login = login();
    OidcPending pending = login.begin().pending();
    JWTClaimsSet claims = provider.idTokenClaims(pending).audience("payments-backoffice").build();

    assertThat(login.acceptIdToken(pending, provider.sign(claims))).isEqualTo(Refused.invalidIdToken(TokenProblem.AUDIENCE));
  }

  @Test
  void idTokenForSeveralClientsWithoutAzp_isRefused_andWithAzpNamingUs_isAccepted() {
    OidcLogin login = login();
    OidcPending pending = login.begin().pending();
    JWTClaimsSet shared = provider.idTokenClaims(pending).audience(List.of(MockProvider.CLIENT_ID, "payments-backoffice")).build();
    JWTClaimsSet forUs = new JWTClaimsSet.Builder(shared).claim("azp", MockProvider.CLIENT_ID).build();
    JWTClaimsSet forThem = new JWTClaimsSet.Builder(shared).claim("azp", "payments-backoffice").build();

    assertThat(login.acceptIdToken(pending, provider.sign(shared))).isEqualTo(Refused.invalidIdToken(TokenProblem.AUDIENCE));
    assertThat(login.acceptIdToken(pending, provider.sign(forThem))).isEqualTo(Refused.invalidIdToken(TokenProblem.AUDIENCE));
    assertThat(login.acceptIdToken(pending, provider.sign(forUs))).isInstanceOf(Authenticated.class);
  }

  @Test
  void idTokenFromAnotherIssuer_isRefused() {
    OidcLogin login = login();
    OidcPending pending = login.begin().pending();
    JWTClaimsSet claims = provider.idTokenClaims(pending).issuer("https://other-idp.example").build();

    assertThat(login.acceptIdToken(pending, provider.sign(claims))).isEqualTo(Refused.invalidIdToken(TokenProblem.ISSUER));
  }

  @Test
  void idTokenWithoutSubject_isRefused() {
    OidcLogin login = login();
    OidcPending pending = login.begin().pending();
    JWTClaimsSet claims = provider.idTokenClaims(pending).subject(null).build();

    assertThat(login.acceptIdToken(pending, provider.sign(claims))).isEqualTo(Refused.invalidIdToken(TokenProblem.MISSING_CLAIM));
  }

  @Test
  void idTokenWithAnAddedGroup_isRefusedForItsSignature() {
    OidcLogin login = login();
    OidcPending pending = login.begin().pending();
    String genuine = provider.sign(provider.idTokenClaims(pending).build());
    assertThat(login.acceptIdToken(pending, genuine)).isInstanceOf(Authenticated.class);
    String[] parts = genuine.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String escalated = payload.replace("\"support-agents\"", "\"security-team\"");
    assertThat(escalated).isNotEqualTo(payload);
    String tampered = parts[0] + "." + Base64URL.encode(escalated) + "." + parts[2];

    assertThat(login.acceptIdToken(pending, tampered)).isEqualTo(Refused.invalidIdToken(TokenProblem.SIGNATURE));
  }

  @Test
  void idTokenWithAFlippedSignatureBit_isRefused() {
    OidcLogin login = login();
    OidcPending pending = login.begin().pending();
    String[] parts = provider.sign(provider.idTokenClaims(pending).build()).split("\\.");
    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
    signature[signature.length / 2] ^= 0x01;
    String tampered = parts[0] + "." + parts[1] + "." + Base64URL.encode(signature);

    assertThat(login.acceptIdToken(pending, tampered)).isEqualTo(Refused.invalidIdToken(TokenProblem.SIGNATURE));
  }

  @Test
  void idTokenSignedByAnImpostorWithTheProvidersKeyId_isRefused() {
    OidcLogin login = login();
    OidcPending pending = login.begin().pending();
    String forged = MockProvider.sign(provider.idTokenClaims(pending).build(),
        MockProvider.Keys.newKey(provider.keys.current().getKeyID()));

    assertThat(login.acceptIdToken(pending, forged)).isEqualTo(Refused.invalidIdToken(TokenProblem.SIGNATURE));
  }

  @Test
  void unsignedIdToken_isRefused() {
    OidcLogin login = login();
    OidcPending pending = login.begin().pending();
    String unsigned = new PlainJWT(provider.idTokenClaims(pending).build()).serialize();

    assertThat(login.acceptIdToken(pending, unsigned)).isEqualTo(Refused.invalidIdToken(TokenProblem.NOT_SIGNED));
  }

  @Test
  void idTokenMacedWithTheClientSecret_isRefused() throws JOSEException {
    OidcLogin login = login();
    OidcPending pending = login.begin().pending();
    SignedJWT maced = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), provider.idTokenClaims(pending).build());
    maced.sign(new MACSigner((MockProvider.CLIENT_SECRET + MockProvider.CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));

    assertThat(login.acceptIdToken(pending, maced.serialize())).isEqualTo(Refused.invalidIdToken(TokenProblem.ALGORITHM));
  }

  @Test
  void garbageIdTokens_areRefusedAsMalformed() {
    OidcLogin login = login();
    OidcPending pending = login.begin().pending();

    for (String garbage : List.of("", "not-a-jwt", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln", "..")) {
      assertThat(login.acceptIdToken(pending, garbage)).as(garbage).isEqualTo(Refused.invalidIdToken(TokenProblem.MALFORMED));
    }
  }

  @Test
  void idTokenWhenTheKeySetIsUnreachable_isUnavailable() {
    OidcLogin login = login();
    OidcPending pending = login.begin().pending();
    String token = provider.sign(provider.idTokenClaims(pending).build());
    provider.close();

    assertThat(login.acceptIdToken(pending, token)).isEqualTo(new Refused(Reason.UNAVAILABLE));
  }
}
