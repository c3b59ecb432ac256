package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.StaffId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class RecoveryCodesTest {
  private static final StaffId AGENT = new StaffId("agent-17");
  private final InMemoryRecoveryCodeStore store = new InMemoryRecoveryCodeStore();
  private final RecoveryCodes codes = new RecoveryCodes(store, new SecureRandom());

  @Test
  void issue_givesTenDistinctCodesOfEightyBits() {
    List<String> issued = codes.issue(AGENT).revealCodes();

    assertThat(issued).hasSize(10).doesNotHaveDuplicates()
        .allMatch(c -> c.matches("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}"), "XXXX-XXXX-XXXX-XXXX in Crockford base32");
    assertThat(RecoveryCodes.ALPHABET).hasSize(32).doesNotContain("I", "L", "O", "U");
  }

  @Test
  void eachCode_isAcceptedOnce() {
    List<String> issued = codes.issue(AGENT).revealCodes();

    assertThat(codes.redeem(AGENT, issued.get(3))).isEqualTo(new RecoveryCheck.Accepted(9));
    assertThat(codes.redeem(AGENT, issued.get(3))).isEqualTo(new RecoveryCheck.Rejected(RecoveryCheck.Reason.WRONG_CODE));
    assertThat(codes.redeem(AGENT, issued.get(4))).isEqualTo(new RecoveryCheck.Accepted(8));
    assertThat(codes.remaining(AGENT)).isEqualTo(8);
  }

  @Test
  void everyCodeOfASet_works() {
    List<String> issued = codes.issue(AGENT).revealCodes();

    for (String code : issued) {
      assertThat(codes.redeem(AGENT, code)).isInstanceOf(RecoveryCheck.Accepted.class);
    }
    assertThat(codes.remaining(AGENT)).isZero();
  }

  @Test
  void newSet_voidsTheOldOne() {
    List<String> old = codes.issue(AGENT).revealCodes();

    codes.issue(AGENT);

    assertThat(codes.redeem(AGENT, old.get(0))).isEqualTo(new RecoveryCheck.Rejected(RecoveryCheck.Reason.WRONG_CODE));
  }

  @Test
  void anotherAccountsCode_isRefused() {
    List<String> other = codes.issue(new StaffId("agent-18")).revealCodes();
    codes.issue(AGENT);

    assertThat(codes.redeem(AGENT, other.get(0))).isEqualTo(new RecoveryCheck.Rejected(RecoveryCheck.Reason.WRONG_CODE));
  }

  @Test
  void typingVariations_areForgiven() {
    List<String> issued = codes.issue(AGENT).revealCodes();
    String lowerNoDashes = issued.get(0).replace("-", "").toLowerCase(Locale.ROOT);
    String spaced = issued.get(1).replace("-", " ");
    String lookAlikes = issued.get(2).replace('0', 'O').replace('1', 'l');

    assertThat(codes.redeem(AGENT, lowerNoDashes)).isInstanceOf(RecoveryCheck.Accepted.class);
    assertThat(codes.redeem(AGENT, spaced)).isInstanceOf(RecoveryCheck.Accepted.class);
    assertThat(codes.redeem(AGENT, lookAlikes)).isInstanceOf(RecoveryCheck.Accepted.class);
  }

  @Test
  void malformedCodes_areRefused() {
    codes.issue(AGENT);
    for (String code : new String[] {null, "", "ABCD-EFGH-JKMN", "ABCD-EFGH-JKMN-PQRSU", "ABCD-EFGH-JKMN-PQR!", "A".repeat(65)}) {
      assertThat(codes.redeem(AGENT, code)).as(String.valueOf(code))
          .isEqualTo(new RecoveryCheck.Rejected(RecoveryCheck.Reason.MALFORMED));
    }
  }

  @Test
  void store_holdsOnlyHashes() {
    List<String> issued = codes.issue(AGENT).revealCodes();
    List<RecoveryCodeHash> stored = store.unused(AGENT);

    assertThat(stored).hasSize(10);
    for (RecoveryCodeHash h : stored) {
      String bytes = new String(h.value(), StandardCharsets.ISO_8859_1);
      issued.forEach(code -> assertThat(bytes).doesNotContain(code.replace("-", "")));
      assertThat(h.toString()).hasSizeLessThan(30);
    }
    assertThat(codes.issue(AGENT).toString()).doesNotContain(issued.get(0)).contains("***");
  }

  @Test
  void unreachableStore_failsClosed() {
    List<String> issued = codes.issue(AGENT).revealCodes();
    store.failing = true;

    assertThat(codes.redeem(AGENT, issued.get(0))).isEqualTo(new RecoveryCheck.Rejected(RecoveryCheck.Reason.UNAVAILABLE));
  }

  @Test
  void twoInstancesRacingOneCode_acceptItOnce() throws Exception {
    String code = codes.issue(AGENT).revealCodes().get(0);
    List<Callable<RecoveryCheck>> tasks = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      RecoveryCodes instance = new RecoveryCodes(store, new SecureRandom());
      tasks.add(() -> instance.redeem(AGENT, code));
    }

    List<RecoveryCheck> results = dev.custos.access.Races.race(tasks);

    assertThat(results).filteredOn(r -> r instanceof RecoveryCheck.Accepted).hasSize(1);
  }

  @Property(tries = 2000)
  void anyText_isCheckedWithoutThrowing(@ForAll String text) {
    assertThat(codes.redeem(AGENT, text)).isNotNull();
  }
}
