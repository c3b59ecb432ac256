package dev.custos.identity;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The rules a new staff password must meet, after NIST SP 800-63B §5.1.1.2: length, not
 * composition. No "one upper-case letter and one digit" rules and no forced periodic changes;
 * instead a minimum length, a maximum generous enough for passphrases and password managers, and a
 * refusal of passwords that an attacker tries first: the username, the service's name, well-known
 * passwords and repetitive or sequential strings.
 *
 * <p>Lengths are counted in Unicode code points after NFKC normalisation, so every character
 * counts once whatever the keyboard.
 *
 * @param minLength at least 8 (SP 800-63B's floor when a second factor is required, which it is here)
 * @param maxLength at least 64 (SP 800-63B: verifiers SHOULD permit at least 64) and at most
 *     {@link Password#MAX_INPUT_CHARS}
 */
public record PasswordPolicy(int minLength, int maxLength) {
  /** Custos's default: 12 to 128 code points. */
  public static final PasswordPolicy DEFAULT = new PasswordPolicy(12, 128);

  /**
   * Passwords (compared in lower case) that appear near the top of every breach corpus among those
   * long enough to pass the length rule. Deliberately small: a breach-corpus lookup (k-anonymity
   * range query, or a local Bloom filter) is future work, see docs/design/identity.md.
   */
  private static final Set<String> COMMON = Set.of(
      "123456789012", "1234567890123", "12345678901234", "123456789123", "1234567890qwerty", "qwerty123456",
      "qwertyuiop123", "qwertyuiopasdf", "qwertyuiopasdfghjkl", "qwertyuiopasdfghjklzxcvbnm", "1q2w3e4r5t6y",
      "1q2w3e4r5t6y7u", "1qaz2wsx3edc", "1qaz2wsx3edc4rfv", "zaq12wsxcde3", "zaq1zaq1zaq1", "asdfghjkl123",
      "password1234", "password12345", "password123456", "password1234!", "passw0rd1234", "p@ssw0rd1234",
      "p@ssword1234", "passwordpassword", "iloveyou1234", "letmein12345", "welcome12345", "changeme1234",
      "administrator", "administrator1", "trustno1trustno1", "abc123456789", "abcdefghijkl", "abcd1234abcd",
      "football1234", "baseball1234", "superman1234", "michael12345", "princess1234", "sunshine1234",
      "whatever1234", "monkey123456", "dragon123456", "master123456", "starwars1234", "correcthorsebatterystaple");
  /**
   * Words that make a password guessable however many digits or symbols surround them: the
   * service, the employer's trade and the usual placeholders.
   */
  private static final Set<String> CONTEXT_WORDS = Set.of(
      "custos", "password", "passwort", "passw0rd", "qwerty", "qwertz", "azerty", "letmein", "welcome", "changeme",
      "admin", "administrator", "support", "iloveyou", "bitcoin", "crypto", "exchange", "kraken", "coinbase", "secret");

  public PasswordPolicy {
    if (minLength < 8) {
      throw new IllegalArgumentException("password minLength must be at least 8, was " + minLength);
    }
    if (maxLength < 64 || maxLength > Password.MAX_INPUT_CHARS) {
      throw new IllegalArgumentException("password maxLength must be 64 to " + Password.MAX_INPUT_CHARS + ", was " + maxLength);
    }
    if (minLength > maxLength) {
      throw new IllegalArgumentException("password minLength " + minLength + " exceeds maxLength " + maxLength);
    }
  }

  /** Whether a new password is acceptable for the account called {@code username}. */
  public Verdict check(String username, Password password) {
    Objects.requireNonNull(username, "username");
    CharSequence text = password.normalized();
    int length = Character.codePointCount(text, 0, text.length());
    if (length < minLength) {
      return new Unacceptable(Reason.TOO_SHORT);
    }
    if (length > maxLength) {
      return new Unacceptable(Reason.TOO_LONG);
    }
    // The checks below need a String; it holds the password only until the next collection.
    String lower = text.toString().toLowerCase(Locale.ROOT);
    String user = username.toLowerCase(Locale.ROOT);
    if (user.length() >= 3 && lower.contains(user)) {
      return new Unacceptable(Reason.CONTAINS_USERNAME);
    }
    if (COMMON.contains(lower) || CONTEXT_WORDS.contains(stripNonLetters(lower))) {
      return new Unacceptable(Reason.TOO_COMMON);
    }
    if (isRepetitive(lower) || isSequential(lower)) {
      return new Unacceptable(Reason.REPETITIVE);
    }
    return new Acceptable();
  }

  /** The outcome of {@link #check}. */
  public sealed interface Verdict permits Acceptable, Unacceptable {}

  /** The password may be used. */
  public record Acceptable() implements Verdict {}

  /** The password must not be used, for {@code reason} (safe to show to the person choosing it). */
  public record Unacceptable(Reason reason) implements Verdict {}

  /** Why a password was refused. */
  public enum Reason {
    /** Fewer code points than {@code minLength}. */
    TOO_SHORT,
    /** More code points than {@code maxLength}. */
    TOO_LONG,
    /** It contains the account's own name. */
    CONTAINS_USERNAME,
    /** A well-known password, or a context word padded with digits and symbols. */
    TOO_COMMON,
    /** One short unit repeated ({@code abcabcabcabc}) or a run such as {@code abcdefghijkl} or {@code 987654321098}. */
    REPETITIVE
  }

  /** The letters of {@code s} only, so {@code !!Password2024!!} yields {@code password}. */
  private static String stripNonLetters(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().filter(Character::isLetter).forEach(sb::appendCodePoint);
    return sb.toString();
  }

  /** {@code s} is some unit of at most 4 code points repeated (aaaa..., abab..., abcdabcd...). */
  private static boolean isRepetitive(String s) {
    int[] cps = s.codePoints().toArray();
    for (int unit = 1; unit <= 4 && unit < cps.length; unit++) {
      boolean repeats = true;
      for (int i = unit; i < cps.length && repeats; i++) {
        repeats = cps[i] == cps[i - unit];
      }
      if (repeats) {
        return true;
      }
    }
    return false;
  }

  /** Every step between neighbours is the same +1 or -1 (digits wrap 9→0), as in abcdef... or 8901234.... */
  private static boolean isSequential(String s) {
    int[] cps = s.codePoints().toArray();
    int direction = 0;
    for (int i = 1; i < cps.length; i++) {
      int step = step(cps[i - 1], cps[i]);
      if (step == 0 || (direction != 0 && step != direction)) {
        return false;
      }
      direction = step;
    }
    return true;
  }

  private static int step(int from, int to) {
    if (to == from + 1 || (from == '9' && to == '0')) {
      return 1;
    }
    if (to == from - 1 || (from == '0' && to == '9')) {
      return -1;
    }
    return 0;
  }
}
