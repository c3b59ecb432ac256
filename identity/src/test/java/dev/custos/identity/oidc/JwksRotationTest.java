package dev.custos.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.identity.oidc.OidcOutcome.Authenticated;
import dev.custos.identity.oidc.OidcOutcome.Reason;
import dev.custos.identity.oidc.OidcOutcome.Refused;
import dev.custos.identity.oidc.OidcOutcome.TokenProblem;
import java.security.SecureRandom;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The provider's signing key changes while Custos holds its key set in cache. */
class JwksRotationTest {
  private MockProvider provider;
  private OidcLogin login;

  @BeforeEach
  void start() throws OidcDiscoveryException {
    provider = new MockProvider();
    login = OidcLogin.discover(provider.settings().build(), InstantSource.system(), new SecureRandom());
  }

  @AfterEach
  void stop() {
    provider.close();
  }

  private OidcOutcome signIn() {
    OidcRedirect redirect = login.begin();
    provider.nextTokens(MockProvider.agentClaims());
    return login.complete(redirect.pending(), provider.authorize(redirect.location()));
  }

  private long keySetFetches() {
    return provider.takeRequests().stream().filter(r -> r.getPath().endsWith("/jwks")).count();
  }

  @Test
  void keySet_isFetchedOnce_andThenServedFromCache() {
    assertThat(signIn()).isInstanceOf(Authenticated.class);
    assertThat(signIn()).isInstanceOf(Authenticated.class);
    assertThat(signIn()).isInstanceOf(Authenticated.class);

    assertThat(keySetFetches()).isEqualTo(1);
  }

  @Test
  void tokenSignedWithANewKey_isAcceptedAfterOneRefetchOfTheKeySet() {
    assertThat(signIn()).isInstanceOf(Authenticated.class);
    assertThat(keySetFetches()).isEqualTo(1);

    provider.keys.rotate("key-2");

    assertThat(signIn()).isInstanceOf(Authenticated.class);
    assertThat(keySetFetches()).isEqualTo(1);
    assertThat(signIn()).isInstanceOf(Authenticated.class);
    assertThat(keySetFetches()).isZero();
  }

  @Test
  void tokensWithUnknownKeyIds_refetchTheKeySetAtMostTwicePerInterval() {
    assertThat(signIn()).isInstanceOf(Authenticated.class);
    OidcPending pending = login.begin().pending();

    // The first unknown key id refetches (the second fetch in this interval) and is refused for its key;
    // further ones find the limit reached: not checked, so unavailable, and no request reaches the provider.
    // One RSA key under twenty key ids: a new 2048-bit key per id took 19 key generations inside the 30 s
    // interval, which a loaded machine can outlast (the limit then rightly lets a third fetch through).
    com.nimbusds.jose.jwk.RSAKey bogus = MockProvider.Keys.newKey("bogus-1");
    assertThat(login.acceptIdToken(pending, MockProvider.sign(provider.idTokenClaims(pending).build(), bogus)))
        .isEqualTo(Refused.invalidIdToken(TokenProblem.UNKNOWN_KEY));
    for (int i = 2; i <= 20; i++) {
      com.nimbusds.jose.jwk.RSAKey other = new com.nimbusds.jose.jwk.RSAKey.Builder(bogus).keyID("bogus-" + i).build();
      assertThat(login.acceptIdToken(pending, MockProvider.sign(provider.idTokenClaims(pending).build(), other)))
          .isEqualTo(new Refused(Reason.UNAVAILABLE));
    }

    assertThat(keySetFetches()).isEqualTo(2);
    assertThat(login.acceptIdToken(pending, provider.sign(provider.idTokenClaims(pending).build()))).isInstanceOf(Authenticated.class);
  }
}
