package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PasswordTest {
  @Test
  void toString_neverShowsTheCharacters() {
    try (Password p = Password.copyOf("hunter2hunter2".toCharArray())) {
      assertThat(p.toString()).isEqualTo("Password[***]").doesNotContain("hunter");
    }
  }

  @Test
  void copyOf_isNotAffectedByTheCallerWipingItsArray() {
    char[] typed = "correct horse".toCharArray();
    try (Password p = Password.copyOf(typed)) {
      java.util.Arrays.fill(typed, 'x');

      assertThat(new String(p.utf8(), StandardCharsets.UTF_8)).isEqualTo("correct horse");
    }
  }

  @Test
  void closedPassword_cannotBeUsed() {
    Password p = Password.copyOf("correct horse".toCharArray());

    p.close();

    assertThat(p.isWiped()).isTrue();
    assertThatThrownBy(p::utf8).isInstanceOf(IllegalStateException.class).hasMessageContaining("wiped");
  }

  @Test
  void overlongInput_isRefusedBeforeHashing() {
    assertThatThrownBy(() -> Password.copyOf(new char[Password.MAX_INPUT_CHARS + 1]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024");
  }

  @Test
  void compatibilityForms_normaliseToTheSameBytes() {
    try (Password fullWidth = Password.copyOf("ｐａｓｓｗｏｒｄ".toCharArray());
        Password ascii = Password.copyOf("password".toCharArray())) {
      assertThat(fullWidth.utf8()).isEqualTo(ascii.utf8());
    }
  }

  @Test
  void decomposedAccents_normaliseToTheComposedForm() {
    try (Password decomposed = Password.copyOf("pa\u0308ss".toCharArray());
        Password composed = Password.copyOf("päss".toCharArray())) {
      assertThat(decomposed.utf8()).isEqualTo(composed.utf8());
      assertThat(decomposed.length()).isEqualTo(4);
    }
  }

  @Test
  void length_countsCodePointsNotChars() {
    try (Password p = Password.copyOf("🔑🔑🔑".toCharArray())) {
      assertThat(p.length()).isEqualTo(3);
    }
  }

  @Test
  void unpairedSurrogate_isEncodedWithoutFailing() {
    try (Password p = Password.copyOf(new char[] {'a', '\uD800', 'b'})) {
      assertThat(p.utf8()).hasSize(3);
    }
  }
}
