package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class StrictBase64Test {
    @Test
    void canonicalText_decodes() {
        byte[] hash = new byte[32];
        hash[31] = 1;
        assertThat(StrictBase64.decode(Base64.getEncoder().encodeToString(hash))).isEqualTo(hash);
    }

    @Test
    void anotherTextForTheSameBytes_isRefused() {
        String canonical = Base64.getEncoder().encodeToString(new byte[32]); // "AAAA...AAA=": last char carries 2 bits
        String sloppy = canonical.substring(0, 42) + "B=";                    // same bytes to the JDK decoder
        assertThat(Base64.getDecoder().decode(sloppy)).isEqualTo(new byte[32]);
        assertThatThrownBy(() -> StrictBase64.decode(sloppy)).isInstanceOf(IllegalArgumentException.class);
    }
}
