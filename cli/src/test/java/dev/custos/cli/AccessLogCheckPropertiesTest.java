package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.ledger.NoteSigner;
import dev.custos.ledger.NoteVerifier;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The access-log parser and verifier on arbitrary input: bad input is a usage error or a finding, never a crash. */
class AccessLogCheckPropertiesTest {
  static final NoteVerifier KEY = NoteSigner.generate("test.example/log", new SecureRandom()).verifier();
  static final String SHAPE = "{\"customer\":\"cust-ada\",\"commitment\":\"%s\",\"salt\":\"%s\",\"checkpoint\":\"%s\","
      + "\"verifierKey\":\"%s\",\"items\":[{\"index\":%d,\"entry\":\"%s\",\"inclusion\":[\"%s\"],\"at\":\"x\","
      + "\"action\":\"view\",\"decision\":\"permit\",\"purpose\":{\"type\":\"ticket\"}}]%s}";

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(80),
        Arbitraries.strings().withChars("ABCDEFabcdef0123456789+/=").ofMaxLength(60));
  }

  @Property(tries = 500)
  void arbitraryBytes_areRefusedAsBadInput_orParse(@ForAll byte[] bytes) {
    try {
      AccessLogCheck.Log log = AccessLogCheck.parse(bytes);
      assertThat(AccessLogCheck.verify(log, KEY, Optional.empty(), Optional.empty())).isNotNull();
    } catch (UsageException expected) {
      assertThat(expected.getMessage()).startsWith("the access log");
    }
  }

  @Property(tries = 500)
  void wellShapedLogsOfGarbage_neverVerify_andNeverThrow(@ForAll("text") String commitment, @ForAll("text") String salt,
      @ForAll("text") String checkpoint, @ForAll("text") String entry, @ForAll("text") String hash,
      @ForAll long index, @ForAll boolean withConsistency) {
    String json = SHAPE.formatted(esc(commitment), esc(salt), esc(checkpoint), esc(KEY.encoded()), Math.abs(index % 1000),
        esc(entry), esc(hash), withConsistency ? ",\"consistency\":{\"from\":1,\"to\":2,\"path\":[\"" + esc(hash) + "\"]}" : "");
    try {
      AccessLogCheck.Report r = AccessLogCheck.verify(AccessLogCheck.parse(json.getBytes(StandardCharsets.UTF_8)), KEY,
          Optional.empty(), Optional.empty());
      assertThat(r.clean()).isFalse();
      assertThat(r.verified()).isEmpty();
    } catch (UsageException expected) {
      assertThat(expected.getMessage()).startsWith("the access log");
    }
  }

  private static String esc(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
