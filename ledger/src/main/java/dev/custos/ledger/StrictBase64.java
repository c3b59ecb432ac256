package dev.custos.ledger;

import java.util.Base64;

/**
 * Standard base64 that accepts only the canonical encoding: the JDK decoder ignores the unused low
 * bits of the last character, so several texts decode to the same bytes; a log, a witness and a
 * verifier must agree on exactly one text for each value.
 */
final class StrictBase64 {
    private StrictBase64() {}

    /** @throws IllegalArgumentException when {@code text} is not the canonical padded base64 of some bytes */
    static byte[] decode(String text) {
        byte[] bytes = Base64.getDecoder().decode(text);
        if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
            throw new IllegalArgumentException("not canonical base64");
        }
        return bytes;
    }
}
