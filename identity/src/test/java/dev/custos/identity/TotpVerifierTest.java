package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.StaffId;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TotpVerifierTest {
  private static final StaffId AGENT = new StaffId("agent-17");
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:00:10Z"));
  private final InMemoryTotpReplayStore replay = new InMemoryTotpReplayStore();
  private final TotpVerifier verifier = new TotpVerifier(Totp.DEFAULT, replay, now::get);
  /**
   * RFC 6238's SHA-1 seed, fixed: with a random secret two steps' codes coincide one time in 10^6, and
   * the tests below that expect the step a code was made for, or a code two steps away to be refused,
   * failed then (about 1 run in 80,000 in all). {@link #theSecret_hasDistinctCodesAroundNow} holds it to that.
   */
  private final TotpSecret secret = TotpSecret.ofBytes("12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  private long step() {
    return Totp.DEFAULT.stepAt(now.get());
  }

  private String codeAtOffset(int offset) {
    return Totp.DEFAULT.code(secret, step() + offset);
  }

  @Test
  void theSecret_hasDistinctCodesAroundNow() {
    List<String> codes = new java.util.ArrayList<>();
    for (int offset = -2; offset <= 3; offset++) {
      codes.add(codeAtOffset(offset));
    }
    assertThat(codes).doesNotHaveDuplicates();
  }

  @Test
  void currentCode_isAccepted() {
    assertThat(verifier.verify(AGENT, secret, codeAtOffset(0))).isEqualTo(new TotpCheck.Accepted(step()));
  }

  @Test
  void previousAndNextCodes_areAccepted() {
    assertThat(verifier.verify(AGENT, secret, codeAtOffset(-1))).isEqualTo(new TotpCheck.Accepted(step() - 1));
    assertThat(verifier.verify(new StaffId("agent-18"), secret, codeAtOffset(1))).isEqualTo(new TotpCheck.Accepted(step() + 1));
  }

  @Test
  void codesTwoStepsAway_areRefused() {
    assertThat(verifier.verify(AGENT, secret, codeAtOffset(-2))).isEqualTo(new TotpCheck.Rejected(TotpCheck.Reason.WRONG_CODE));
    assertThat(verifier.verify(AGENT, secret, codeAtOffset(2))).isEqualTo(new TotpCheck.Rejected(TotpCheck.Reason.WRONG_CODE));
  }

  @Test
  void sameCodeTwice_isRefusedAsReplayed() {
    String code = codeAtOffset(0);
    verifier.verify(AGENT, secret, code);

    assertThat(verifier.verify(AGENT, secret, code)).isEqualTo(new TotpCheck.Rejected(TotpCheck.Reason.REPLAYED));
  }

  @Test
  void sameCodeOnASecondInstance_isRefusedAsReplayed() {
    TotpVerifier secondInstance = new TotpVerifier(Totp.DEFAULT, replay, now::get);
    String code = codeAtOffset(0);
    assertThat(verifier.verify(AGENT, secret, code)).isInstanceOf(TotpCheck.Accepted.class);

    assertThat(secondInstance.verify(AGENT, secret, code)).isEqualTo(new TotpCheck.Rejected(TotpCheck.Reason.REPLAYED));
  }

  @Test
  void sameCodeAfterTheClockMoved_isStillRefused() {
    String code = codeAtOffset(0);
    verifier.verify(AGENT, secret, code);
    now.set(now.get().plusSeconds(30));

    assertThat(verifier.verify(AGENT, secret, code)).isEqualTo(new TotpCheck.Rejected(TotpCheck.Reason.REPLAYED));
  }

  @Test
  void olderCodeStillInTheWindow_isRefusedOnceANewerOneWasUsed() {
    String older = codeAtOffset(-1);
    assertThat(verifier.verify(AGENT, secret, codeAtOffset(0))).isInstanceOf(TotpCheck.Accepted.class);

    assertThat(verifier.verify(AGENT, secret, older)).isEqualTo(new TotpCheck.Rejected(TotpCheck.Reason.REPLAYED));
  }

  @Test
  void nextStepsCode_isAcceptedAfterTheCurrentOne() {
    verifier.verify(AGENT, secret, codeAtOffset(0));
    now.set(now.get().plusSeconds(30));

    assertThat(verifier.verify(AGENT, secret, codeAtOffset(0))).isEqualTo(new TotpCheck.Accepted(step()));
  }

  @Test
  void codeOfAnotherAccountsSecret_isRefused() {
    TotpSecret other = TotpSecret.generate(TotpAlgorithm.SHA1, new SecureRandom());
    String code = Totp.DEFAULT.code(other, step());
    if (List.of(codeAtOffset(-1), codeAtOffset(0), codeAtOffset(1)).contains(code)) {
      return; // a 3-in-a-million coincidence between two random secrets
    }

    assertThat(verifier.verify(AGENT, secret, code)).isEqualTo(new TotpCheck.Rejected(TotpCheck.Reason.WRONG_CODE));
  }

  @Test
  void surroundingWhiteSpace_isIgnored() {
    assertThat(verifier.verify(AGENT, secret, " " + codeAtOffset(0) + "\n")).isInstanceOf(TotpCheck.Accepted.class);
  }

  @Test
  void malformedCodes_areRefusedWithoutTouchingTheStore() {
    replay.failing = true;
    for (String code : new String[] {null, "", "12345", "1234567", "12a456", "１２３４５６", "123 456"}) {
      assertThat(verifier.verify(AGENT, secret, code)).as(String.valueOf(code))
          .isEqualTo(new TotpCheck.Rejected(TotpCheck.Reason.MALFORMED));
    }
  }

  @Test
  void unreachableReplayStore_failsClosed() {
    replay.failing = true;

    assertThat(verifier.verify(AGENT, secret, codeAtOffset(0))).isEqualTo(new TotpCheck.Rejected(TotpCheck.Reason.UNAVAILABLE));
  }

  @Property(tries = 300)
  void codeAtAnyOffset_isAcceptedExactlyWhenWithinOneStep(@ForAll @LongRange(min = 10, max = 1L << 36) long nowStep,
      @ForAll @IntRange(min = -6, max = 6) int offset) {
    TotpSecret key = TotpSecret.generate(TotpAlgorithm.SHA1, new SecureRandom());
    Instant at = Instant.ofEpochSecond(nowStep * 30 + 17);
    TotpVerifier fresh = new TotpVerifier(Totp.DEFAULT, new InMemoryTotpReplayStore(), () -> at);
    String code = Totp.DEFAULT.code(key, nowStep + offset);
    // The window's steps in the verifier's order of preference when two codes coincide (1 in 10^6):
    // the current step, then the one before, then the one after. Codes of two steps may be equal.
    long preferred = Long.MIN_VALUE;
    for (long step : new long[] {nowStep + 1, nowStep - 1, nowStep}) {
      preferred = Totp.DEFAULT.code(key, step).equals(code) ? step : preferred;
    }
    boolean equalsAWindowCode = preferred != Long.MIN_VALUE;

    TotpCheck check = fresh.verify(AGENT, key, code);

    if (Math.abs(offset) <= 1) {
      assertThat(check).isEqualTo(new TotpCheck.Accepted(preferred)); // nowStep + offset unless codes coincide
    } else {
      // Outside the window a code is refused, unless by chance (3 in 10^6) it equals a code inside it.
      assertThat(check instanceof TotpCheck.Accepted).isEqualTo(equalsAWindowCode);
    }
  }

  @Property(tries = 300)
  void anyCodeAccepted_isNeverAcceptedAgain(@ForAll @IntRange(min = -1, max = 1) int first,
      @ForAll @IntRange(min = -1, max = 1) int second) {
    TotpVerifier fresh = new TotpVerifier(Totp.DEFAULT, new InMemoryTotpReplayStore(), now::get);
    assertThat(fresh.verify(AGENT, secret, codeAtOffset(first))).isInstanceOf(TotpCheck.Accepted.class);

    TotpCheck again = fresh.verify(AGENT, secret, codeAtOffset(second));

    assertThat(again instanceof TotpCheck.Accepted).isEqualTo(second > first);
  }

  @Property(tries = 1000)
  void anyText_isCheckedWithoutThrowing(@ForAll String text) {
    assertThat(verifier.verify(AGENT, secret, text)).isNotNull();
  }
}
