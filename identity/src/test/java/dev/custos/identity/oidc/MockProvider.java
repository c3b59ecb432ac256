package dev.custos.identity.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.custos.access.Role;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A real OpenID provider in the test JVM (navikt mock-oauth2-server) with the issuer "issuer1",
 * plus the browser's part of the flow: following the authorization URI to the callback.
 */
final class MockProvider implements AutoCloseable {
  static final String ISSUER_ID = "issuer1";
  static final String CLIENT_ID = "custos-console";
  static final String CLIENT_SECRET = "s3cret-client-secret-for-tests";
  static final URI REDIRECT = URI.create("http://127.0.0.1:8080/v1/auth/oidc/callback");
  static final String SUBJECT = "00u1a2b3c4d5e6f7g8h9";

  final MockOAuth2Server server;
  /** The provider's signing key, which the tests hold too, to sign tokens of their own. */
  final Keys keys;
  private boolean closed;
  private final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5)).build();

  MockProvider() {
    this.keys = new Keys();
    this.server = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(keys)));
    server.start();
  }

  /**
   * The provider's one signing key, which {@link #rotate} replaces: the key set it publishes then
   * holds only the new key, as after a provider's key rotation.
   */
  static final class Keys extends KeyProvider {
    private volatile RSAKey current = newKey("key-1");

    Keys() {
      super(List.of(), JWSAlgorithm.RS256.getName());
    }

    @Override
    public JWK signingKey(String issuerId) {
      return current;
    }

    RSAKey current() {
      return current;
    }

    void rotate(String keyId) {
      current = newKey(keyId);
    }

    static RSAKey newKey(String keyId) {
      try {
        return new RSAKeyGenerator(2048).keyID(keyId).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
      } catch (JOSEException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** Claims of a valid ID token for {@code pending}'s login, as the provider would issue it now. */
  JWTClaimsSet.Builder idTokenClaims(OidcPending pending) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
        .issuer(issuer().toString())
        .subject(SUBJECT)
        .audience(CLIENT_ID)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)))
        .claim("nonce", pending.nonce());
    agentClaims().forEach(builder::claim);
    return builder;
  }

  /** {@code claims} signed with the provider's current key, as RS256 with its key id. */
  String sign(JWTClaimsSet claims) {
    return sign(claims, keys.current());
  }

  static String sign(JWTClaimsSet claims, RSAKey key) {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
    return jwt.serialize();
  }

  URI issuer() {
    return URI.create(server.issuerUrl(ISSUER_ID).toString());
  }

  /** Settings for this provider: groups support-agents → agent, security-team → security and auditor. */
  OidcSettings.Builder settings() {
    return OidcSettings.builder()
        .issuer(issuer())
        .clientId(CLIENT_ID)
        .clientSecret(CLIENT_SECRET)
        .redirectUri(REDIRECT)
        .groupRoles(Map.of("support-agents", Set.of(Role.SUPPORT_L1), "security-team", Set.of(Role.SECURITY_ANALYST, Role.AUDITOR)));
  }

  /** The claims an agent's ID token carries after a password-and-authenticator login. */
  static Map<String, Object> agentClaims() {
    Map<String, Object> claims = new HashMap<>();
    claims.put("preferred_username", "agent-17");
    claims.put("email", "agent17@exchange.example");
    claims.put("name", "Alex Agent");
    claims.put("groups", List.of("everyone", "support-agents"));
    claims.put("amr", List.of("pwd", "mfa"));
    claims.put("auth_time", 1_795_000_000L);
    return claims;
  }

  /** The next token request for this issuer answers with these claims (and an ID token valid for {@code lifetimeSeconds}). */
  void nextTokens(Map<String, Object> claims, long lifetimeSeconds) {
    server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, SUBJECT, "JWT", List.of(CLIENT_ID), claims, lifetimeSeconds));
  }

  void nextTokens(Map<String, Object> claims) {
    nextTokens(claims, 3600);
  }

  /** Does what the browser does with {@code location}: GET it, and read the query of the redirect back to Custos. */
  Map<String, String> authorize(URI location) {
    HttpResponse<String> response;
    try {
      response = browser.send(HttpRequest.newBuilder(location).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("authorization endpoint unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (response.statusCode() / 100 != 3) {
      throw new AssertionError("authorization endpoint answered " + response.statusCode() + ": " + response.body());
    }
    URI callback = URI.create(response.headers().firstValue("Location").orElseThrow());
    if (!callback.toString().startsWith(REDIRECT.toString())) {
      throw new AssertionError("redirected elsewhere: " + callback);
    }
    return query(callback);
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> params = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(name, value);
    }
    return params;
  }

  /** The paths of the requests the provider received since the last call, oldest first. */
  List<RecordedRequest> takeRequests() {
    List<RecordedRequest> requests = new java.util.ArrayList<>();
    RecordedRequest r;
    while (true) {
      try {
        r = server.takeRequest(50, TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        return requests; // mock-oauth2-server's way of saying the queue is empty
      }
      if (r == null) {
        return requests;
      }
      requests.add(r);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      server.shutdown();
    }
  }
}
