package dev.custos.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class EncodingTest {

    @Test
    void eachPartIsAFourByteBigEndianLengthThenItsBytes() {
        byte[] encoded = Encoding.lengthPrefixed("custos.vault.field/v1", "c-1", new byte[] {1, 2}, "é");

        assertThat(HexFormat.of().formatHex(encoded)).isEqualTo(
            "00000015" + HexFormat.of().formatHex("custos.vault.field/v1".getBytes())
                + "00000003" + "632d31"
                + "00000002" + "0102"
                + "00000002" + "c3a9");
    }

    @Test
    void partsThatConcatenateEquallyStillEncodeDifferently() {
        assertThat(Encoding.lengthPrefixed("ab", "c")).isNotEqualTo(Encoding.lengthPrefixed("a", "bc"));
        assertThat(Encoding.lengthPrefixed("", "x")).isNotEqualTo(Encoding.lengthPrefixed("x", ""));
    }

    @Test
    void noPartsEncodeAsNothingAndOtherTypesAreRefused() {
        assertThat(Encoding.lengthPrefixed()).isEmpty();
        assertThatThrownBy(() -> Encoding.lengthPrefixed("a", 3))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Integer");
    }
}
