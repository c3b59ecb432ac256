package dev.custos.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SearchKeyTest {
  @Test
  public void email_isTrimmedAndLowerCased() {
    assertThat(SearchKey.EMAIL.normalise("  Ada.Lovelace@Example.COM\t")).isEqualTo("ada.lovelace@example.com");
  }

  @Test
  public void phone_keepsDigitsAndALeadingPlus() {
    assertThat(SearchKey.PHONE.normalise("+44 (20) 7946-0018")).isEqualTo("+442079460018");
    assertThat(SearchKey.PHONE.normalise(" +1.555.0100 ")).isEqualTo("+15550100");
    assertThat(SearchKey.PHONE.normalise("020 7946 0018")).isEqualTo("02079460018");
    assertThat(SearchKey.PHONE.normalise("12+34")).as("a + inside is not a prefix").isEqualTo("1234");
    assertThat(SearchKey.PHONE.normalise("+ ( )")).isEmpty();
  }

  @Test
  public void governmentId_keepsUpperCaseLettersAndDigits() {
    assertThat(SearchKey.GOVERNMENT_ID.normalise("ab 12-34-56 c")).isEqualTo("AB123456C");
    assertThat(SearchKey.GOVERNMENT_ID.normalise("x/y.z")).isEqualTo("XYZ");
  }

  @Test
  public void eachKey_readsItsField() {
    assertThat(SearchKey.EMAIL.field()).isEqualTo(new Field("email"));
    assertThat(SearchKey.PHONE.field()).isEqualTo(new Field("phone"));
    assertThat(SearchKey.GOVERNMENT_ID.field()).isEqualTo(new Field("government_id"));
    for (SearchKey k : SearchKey.values()) {
      assertThat(FieldCatalogue.exchangeDefault().contains(k.field())).isTrue();
    }
  }

  @Test
  public void parse_acceptsWireNames_andNamesTheAcceptedOnes() {
    assertThat(SearchKey.parse("government-id")).isEqualTo(SearchKey.GOVERNMENT_ID);
    assertThatThrownBy(() -> SearchKey.parse("ssn")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("email, phone");
  }

  @Property
  public void normalising_isIdempotent(@ForAll String value) {
    for (SearchKey k : SearchKey.values()) {
      String once = k.normalise(value);
      assertThat(k.normalise(once)).isEqualTo(once);
    }
  }
}
