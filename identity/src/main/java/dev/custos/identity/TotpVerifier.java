package dev.custos.identity;

import dev.custos.access.StaffId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Decides whether a TOTP code presented by a member of staff is accepted: RFC 6238 with the
 * current time step and one step either side (RFC 6238 §5.2's recommended allowance for clock
 * drift and typing time), each code usable once.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>The codes of all three steps are computed and compared every time, each with
 *       {@link MessageDigest#isEqual}, so neither the position of a wrong digit nor the step that
 *       matched shows in the timing.</li>
 *   <li>An accepted code's step is recorded in the {@link TotpReplayStore} before the code is
 *       accepted; that step and every earlier one are refused for the account afterwards, on every
 *       instance sharing the store. If the store fails, the code is refused
 *       ({@link TotpCheck.Reason#UNAVAILABLE}).</li>
 *   <li>Guessing is bounded elsewhere: each refusal MUST be counted by the caller as a failed login
 *       attempt ({@link LoginThrottle}); with three codes valid at a time a random guess succeeds
 *       with probability 3 in 10^6.</li>
 * </ul>
 */
public final class TotpVerifier {
  /** Steps accepted on either side of the current one. */
  static final int WINDOW = 1;

  private final Totp totp;
  private final TotpReplayStore replay;
  private final InstantSource clock;

  public TotpVerifier(Totp totp, TotpReplayStore replay, InstantSource clock) {
    this.totp = Objects.requireNonNull(totp, "totp");
    this.replay = Objects.requireNonNull(replay, "replay");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Forgets, in the replay store, the accounts whose last used step can no longer be accepted
   * (below the current step minus the window), for the server's periodic purge. Forgetting them
   * changes no verdict: a code of such a step is refused as outside the window anyway.
   *
   * @return how many accounts were forgotten
   * @throws RuntimeException when the store cannot be reached
   */
  public int forgetSpentSteps() {
    return replay.purge(totp.stepAt(clock.instant()) - WINDOW);
  }

  /**
   * Checks {@code code} (exactly {@code digits} ASCII digits, surrounding white space ignored)
   * against {@code secret} for {@code account}. Never throws for bad input.
   */
  public TotpCheck verify(StaffId account, TotpSecret secret, String code) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(secret, "secret");
    String presented = code == null ? "" : code.strip();
    if (presented.length() != totp.digits() || !presented.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return new TotpCheck.Rejected(TotpCheck.Reason.MALFORMED);
    }
    byte[] presentedBytes = presented.getBytes(StandardCharsets.US_ASCII);
    long now = totp.stepAt(clock.instant());
    // Preference when codes of two steps coincide (about 1 in 10^digits): the current step, then the
    // earlier one (a slow typist), then the later one, so the fewest future codes are used up.
    long matched = -1;
    for (long step : new long[] {now + WINDOW, now - WINDOW, now}) {
      boolean equal = step >= 0
          && MessageDigest.isEqual(totp.code(secret, step).getBytes(StandardCharsets.US_ASCII), presentedBytes);
      matched = equal ? step : matched;
    }
    if (matched < 0) {
      return new TotpCheck.Rejected(TotpCheck.Reason.WRONG_CODE);
    }
    boolean fresh;
    try {
      fresh = replay.markUsed(account, matched);
    } catch (RuntimeException e) {
      return new TotpCheck.Rejected(TotpCheck.Reason.UNAVAILABLE);
    }
    return fresh ? new TotpCheck.Accepted(matched) : new TotpCheck.Rejected(TotpCheck.Reason.REPLAYED);
  }
}
