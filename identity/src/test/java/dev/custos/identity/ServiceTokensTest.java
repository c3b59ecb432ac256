package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ServiceTokensTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:00:00Z"));
  private final InMemoryTokenStore store = new InMemoryTokenStore();
  private final ServiceTokens tokens = new ServiceTokens(store, now::get,
      new SecureRandom());

  @Test
  void issuedToken_isAcceptedForItsScope() {
    IssuedToken issued = tokens.issue("wallet-service", Set.of(Scope.LEDGER_APPEND), Optional.empty());

    TokenCheck check = tokens.check(issued.revealText(), Scope.LEDGER_APPEND);

    assertThat(check).isInstanceOfSatisfying(TokenCheck.Accepted.class,
        a -> assertThat(a.token().id()).isEqualTo(issued.token().id()));
    assertThat(issued.revealText()).matches("cst_[a-z2-7]{16}_[A-Za-z0-9_-]{43}");
  }

  @Test
  void store_neverHoldsTheTokenText() {
    IssuedToken issued = tokens.issue("siem", Set.of(Scope.LEDGER_APPEND), Optional.empty());
    StoredToken stored = store.find(issued.token().id()).orElseThrow();

    // cst_<16-character id>_<43-character secret>; the secret's own alphabet includes '_'.
    String secret = issued.revealText().substring("cst_".length() + 16 + 1);
    assertThat(secret).hasSize(43);
    assertThat(new String(stored.secretHash(), StandardCharsets.ISO_8859_1)).doesNotContain(secret);
    assertThat(stored.toString()).doesNotContain(secret).contains("***");
    assertThat(issued.toString()).doesNotContain(secret);
  }

  @Test
  void check_withWrongSecret_isRejected() {
    IssuedToken issued = tokens.issue("siem", Set.of(Scope.LEDGER_APPEND), Optional.empty());
    String text = issued.revealText();
    char last = text.charAt(text.length() - 1);
    String altered = text.substring(0, text.length() - 1) + (last == 'A' ? 'B' : 'A');

    assertThat(tokens.check(altered, Scope.LEDGER_APPEND))
        .isEqualTo(new TokenCheck.Rejected(TokenCheck.Reason.WRONG_SECRET));
  }

  @Test
  void check_withUnknownId_isRejected() {
    String text = "cst_aaaaaaaaaaaaaaaa_" + "A".repeat(43);

    assertThat(tokens.check(text, Scope.LEDGER_APPEND)).isEqualTo(new TokenCheck.Rejected(TokenCheck.Reason.UNKNOWN));
  }

  @Test
  void revokedToken_isRejectedOnTheNextCheck() {
    IssuedToken issued = tokens.issue("siem", Set.of(Scope.LEDGER_APPEND), Optional.empty());
    assertThat(tokens.check(issued.revealText(), Scope.LEDGER_APPEND)).isInstanceOf(TokenCheck.Accepted.class);

    assertThat(tokens.revoke(issued.token().id())).isTrue();

    assertThat(tokens.check(issued.revealText(), Scope.LEDGER_APPEND))
        .isEqualTo(new TokenCheck.Rejected(TokenCheck.Reason.REVOKED));
    assertThat(tokens.revoke(issued.token().id())).as("second revocation").isFalse();
  }

  @Test
  void expiredToken_isRejected() {
    IssuedToken issued = tokens.issue("siem", Set.of(Scope.LEDGER_APPEND), Optional.of(Duration.ofHours(1)));
    now.set(now.get().plus(Duration.ofMinutes(59)));
    assertThat(tokens.check(issued.revealText(), Scope.LEDGER_APPEND)).isInstanceOf(TokenCheck.Accepted.class);

    now.set(now.get().plus(Duration.ofMinutes(1)));

    assertThat(tokens.check(issued.revealText(), Scope.LEDGER_APPEND))
        .isEqualTo(new TokenCheck.Rejected(TokenCheck.Reason.EXPIRED));
  }

  @Test
  void nonPositiveLifetime_isRefused() {
    assertThatThrownBy(() -> tokens.issue("siem", Set.of(Scope.LEDGER_APPEND), Optional.of(Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lifetime");
  }

  @Test
  void badName_isRefused() {
    assertThatThrownBy(() -> tokens.issue("has space", Set.of(Scope.LEDGER_APPEND), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
  }

  @Test
  void noScope_isRefused() {
    assertThatThrownBy(() -> tokens.issue("siem", Set.of(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scope");
  }

  @Test
  void unavailableStore_failsClosed() {
    IssuedToken issued = tokens.issue("siem", Set.of(Scope.LEDGER_APPEND), Optional.empty());
    store.failing = true;

    assertThat(tokens.check(issued.revealText(), Scope.LEDGER_APPEND))
        .isEqualTo(new TokenCheck.Rejected(TokenCheck.Reason.UNAVAILABLE));
  }

  @Test
  void use_isRecordedAtMostOncePerMinute() {
    IssuedToken issued = tokens.issue("siem", Set.of(Scope.LEDGER_APPEND), Optional.empty());
    for (int i = 0; i < 10; i++) {
      tokens.check(issued.revealText(), Scope.LEDGER_APPEND);
      now.set(now.get().plusSeconds(5));
    }
    assertThat(store.useWrites).isEqualTo(1);
    now.set(now.get().plusSeconds(60));

    tokens.check(issued.revealText(), Scope.LEDGER_APPEND);

    assertThat(store.useWrites).isEqualTo(2);
    assertThat(store.find(issued.token().id()).orElseThrow().token().lastUsedAt()).contains(now.get());
  }

  @Test
  void list_showsNewestFirstWithoutSecrets() {
    IssuedToken first = tokens.issue("a", Set.of(Scope.LEDGER_APPEND), Optional.empty());
    now.set(now.get().plusSeconds(1));
    IssuedToken second = tokens.issue("b", Set.of(Scope.LEDGER_APPEND), Optional.empty());

    assertThat(tokens.list()).extracting(ServiceToken::id).containsExactly(second.token().id(), first.token().id());
  }

  @Test
  void scope_parsesItsWireNameOnly() {
    assertThat(Scope.parse("ledger:append")).contains(Scope.LEDGER_APPEND);
    assertThat(Scope.parse("LEDGER_APPEND")).isEmpty();
  }

  @Property(tries = 500)
  void arbitraryText_isNeverAccepted(@ForAll String presented) {
    tokens.issue("fuzz", Set.of(Scope.LEDGER_APPEND), Optional.empty());

    assertThat(tokens.check(presented, Scope.LEDGER_APPEND)).isInstanceOf(TokenCheck.Rejected.class);
  }
}
