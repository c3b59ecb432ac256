package dev.custos.identity.webauthn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebAuthnCredentialTest {
  private static final StaffId ALICE = new StaffId("agent-17");
  private static final CredentialId ID = CredentialId.of(new byte[] {1, 2, 3, 4});
  private static final byte[] KEY = HexFormat.of().parseHex("a501020326200121582000112233445566778899aabbccddeeff");
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  private static WebAuthnCredential credential(long count, String nickname, Set<String> transports) {
    return new WebAuthnCredential(ALICE, ID, KEY, count, WebAuthn.userHandle(ALICE), nickname, T0, Optional.empty(),
        transports, false, false);
  }

  @Test
  void toString_namesTheCredential_butNotItsKeyOrUserHandle() {
    String text = credential(5, "YubiKey", Set.of("usb")).toString();

    assertThat(text).contains("agent-17", ID.base64Url(), "YubiKey", "signatureCount=5", "lastUsedAt=never");
    for (String encoding : new String[] {
        HexFormat.of().formatHex(KEY), Base64.getEncoder().encodeToString(KEY), Base64.getUrlEncoder().encodeToString(KEY),
        HexFormat.of().formatHex(WebAuthn.userHandle(ALICE)),
        Base64.getUrlEncoder().withoutPadding().encodeToString(WebAuthn.userHandle(ALICE))}) {
      assertThat(text).doesNotContainIgnoringCase(encoding.substring(0, 12));
    }
  }

  @Test
  void bytes_areCopiedInAndOut() {
    byte[] key = KEY.clone();
    WebAuthnCredential c = new WebAuthnCredential(ALICE, ID, key, 0, new byte[] {7}, "k", T0, Optional.empty(),
        Set.of(), false, false);
    key[0] = 0;
    c.publicKeyCose()[1] = 0;
    c.userHandle()[0] = 0;

    assertThat(c.publicKeyCose()).isEqualTo(KEY);
    assertThat(c.userHandle()).containsExactly(7);
  }

  @Test
  void equalCredentials_areEqual_andAUseChangesThem() {
    WebAuthnCredential c = credential(5, "key", Set.of("usb"));

    assertThat(c).isEqualTo(credential(5, "key", Set.of("usb")));
    assertThat(c.withUse(6, T0.plusSeconds(1))).isNotEqualTo(c)
        .satisfies(used -> assertThat(used.lastUsedAt()).contains(T0.plusSeconds(1)));
  }

  @Test
  void outOfRangeValues_areRefused() {
    assertThatThrownBy(() -> credential(-1, "key", Set.of())).hasMessageContaining("signature count");
    assertThatThrownBy(() -> credential(WebAuthnCredential.MAX_SIGNATURE_COUNT + 1, "key", Set.of()))
        .hasMessageContaining("signature count");
    assertThatThrownBy(() -> credential(0, " key", Set.of())).hasMessageContaining("nickname");
    assertThatThrownBy(() -> credential(0, "key", Set.of("USB"))).hasMessageContaining("transport");
    assertThatThrownBy(() -> new WebAuthnCredential(ALICE, ID, new byte[0], 0, new byte[] {1}, "k", T0, Optional.empty(),
        Set.of(), false, false)).hasMessageContaining("public key");
    assertThatThrownBy(() -> new WebAuthnCredential(ALICE, ID, KEY, 0, new byte[65], "k", T0, Optional.empty(),
        Set.of(), false, false)).hasMessageContaining("user handle");
  }

  @Test
  void transports_areSorted_andUnknownOnesKept() {
    assertThat(credential(0, "k", Set.of("usb", "internal", "smart-card")).transports())
        .containsExactly("internal", "smart-card", "usb");
  }
}
