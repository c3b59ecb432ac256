package dev.custos.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class FieldCodecTest {
  @Provide
  Arbitrary<FieldValue> values() {
    return FieldValues.any();
  }

  @Property
  public void everyValue_roundTrips(@ForAll("values") FieldValue value) {
    assertThat(FieldCodec.decode(FieldCodec.encode(value))).isEqualTo(value);
  }

  @Property
  public void equalValues_encodeEqually(@ForAll("values") FieldValue value) {
    FieldValue copy = FieldCodec.decode(FieldCodec.encode(value));
    assertThat(FieldCodec.encode(copy)).isEqualTo(FieldCodec.encode(value));
  }

  @Property
  public void truncatedOrExtendedEncodings_areRefused(@ForAll("values") FieldValue value) {
    byte[] e = FieldCodec.encode(value);
    assertThatThrownBy(() -> FieldCodec.decode(Arrays.copyOf(e, e.length - 1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldCodec.decode(Arrays.copyOf(e, e.length + 1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  public void unknownVersionOrTag_isRefused() {
    assertThatThrownBy(() -> FieldCodec.decode(new byte[] {2, 1, 0, 0, 0, 0})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldCodec.decode(new byte[] {1, 9})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  public void entriesOutOfOrder_areRefused() {
    byte[] ba = {1, 3, 0, 2, 0, 1, 'b', 1, 0, 0, 0, 0, 0, 1, 'a', 1, 0, 0, 0, 0};
    assertThatThrownBy(() -> FieldCodec.decode(ba)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("order");
  }

  @Test
  public void valueLargerThan64KiB_isRefused() {
    FieldValue big = new FieldValue.Items(java.util.Collections.nCopies(20, new FieldValue.Text("x".repeat(4000))));
    assertThatThrownBy(() -> FieldCodec.encode(big)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("larger");
  }

  @Test
  public void entriesWithUnicodeNames_roundTrip() {
    FieldValue v = FieldValue.Entries.of(Map.of("Straße", new FieldValue.Text("Münster 😀"), "zip", new FieldValue.Items(List.of())));
    assertThat(FieldCodec.decode(FieldCodec.encode(v))).isEqualTo(v);
  }
}
