package dev.custos.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.identity.Parsed;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class OidcPendingTest {
  private static final String STATE = "s".repeat(43);
  private static final String NONCE = "n".repeat(42) + "_";
  private static final String VERIFIER = "v".repeat(42) + "-";
  private final OidcPending pending = new OidcPending(STATE, NONCE, VERIFIER, Instant.parse("2026-11-21T10:00:00Z"));

  @Test
  void serialized_parsesBackToAnEqualPending() {
    String text = pending.serialize();

    assertThat(text).isEqualTo("oidc1.1795255200." + STATE + "." + NONCE + "." + VERIFIER);
    assertThat(OidcPending.parse(text)).isEqualTo(Parsed.valid(pending));
  }

  @Test
  void toString_hidesStateNonceAndVerifier() {
    assertThat(pending.toString()).doesNotContain(STATE).doesNotContain(NONCE).doesNotContain(VERIFIER)
        .contains("2026-11-21T10:00:00Z");
  }

  @Test
  void malformedText_isInvalid_withoutQuotingIt() {
    for (String text : List.of("", "oidc1", "oidc2.1795255200." + STATE + "." + NONCE + "." + VERIFIER,
        "oidc1.01795255200." + STATE + "." + NONCE + "." + VERIFIER,
        "oidc1.1795255200." + STATE + "." + NONCE,
        "oidc1.1795255200." + STATE + "." + NONCE + "." + VERIFIER + "x",
        "oidc1.1795255200." + STATE + "." + NONCE + "." + VERIFIER.replace('v', '+'),
        "oidc1.-1." + STATE + "." + NONCE + "." + VERIFIER)) {
      assertThat(OidcPending.parse(text)).as(text).isInstanceOfSatisfying(Parsed.Invalid.class,
          i -> assertThat(i.problem()).doesNotContain(VERIFIER));
    }
    assertThat(OidcPending.parse(null)).isInstanceOf(Parsed.Invalid.class);
  }

  @Property
  void anyText_parsesWithoutThrowing(@ForAll String text) {
    assertThat(OidcPending.parse(text)).isNotNull();
  }

  @Property
  void anyOneCharacterEditOfAValidText_parsesWithoutThrowing(@ForAll char c, @ForAll int position) {
    String text = pending.serialize();
    int at = Math.floorMod(position, text.length());
    String edited = text.substring(0, at) + c + text.substring(at + 1);

    Parsed<OidcPending> parsed = OidcPending.parse(edited);

    if (parsed instanceof Parsed.Valid<OidcPending> v && !edited.equals(text)) {
      assertThat(v.value()).isNotEqualTo(pending);
    }
  }
}
