package dev.custos.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void customerId_withTypicalValue_isAccepted() {
    assertThat(new CustomerId("cus_01HZX9-42").value()).isEqualTo("cus_01HZX9-42");
  }

  @Test
  void customerId_withSpace_isRefused_namingTheField() {
    assertThatThrownBy(() -> CustomerId.parse("cus 1")).hasMessageStartingWith("customer id");
  }

  @Test
  void staffId_empty_isRefused() {
    assertThatThrownBy(() -> new StaffId("")).hasMessageStartingWith("staff id");
  }

  @Test
  void ticketId_null_isRefused() {
    assertThatThrownBy(() -> new TicketId(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ticketId_longerThan64_isRefused() {
    assertThatThrownBy(() -> new TicketId("t".repeat(65))).hasMessageStartingWith("ticket id");
    assertThat(new TicketId("t".repeat(64)).value()).hasSize(64);
  }

  @Property
  void anyAlphabeticIdUpTo64_roundTrips(@ForAll @AlphaChars @StringLength(min = 1, max = 64) String s) {
    assertThat(CustomerId.parse(s).toString()).isEqualTo(s);
  }

  @Property
  void idsWithControlCharacters_areRefused(@ForAll @StringLength(min = 1, max = 10) String prefix) {
    String withNewline = "a" + prefix + "\n";
    assertThatThrownBy(() -> new StaffId(withNewline)).isInstanceOf(IllegalArgumentException.class);
  }
}
