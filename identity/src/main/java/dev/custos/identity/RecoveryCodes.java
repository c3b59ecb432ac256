package dev.custos.identity;

import dev.custos.access.StaffId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Single-use recovery codes: the way back in for a member of staff who lost their authenticator,
 * standing in for the second factor only (the password is still required).
 *
 * <p>A set is 10 codes of 16 characters from Crockford's base32 alphabet
 * ({@code 0-9 A-Z} without {@code I L O U}), shown as {@code XXXX-XXXX-XXXX-XXXX}: 80 random bits
 * each. When a code is typed, case, dashes and spaces are ignored and the look-alikes {@code O},
 * {@code I} and {@code L} are read as {@code 0}, {@code 1} and {@code 1}.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Only {@code SHA-256("custos recovery code v1" 0x00 account 0x00 code)} is stored. A slow
 *       hash buys nothing for 80-bit random codes: an attacker holding the table must try about
 *       2^80 / 11 ≈ 10^23 codes on average to find any one of an account's ten, some 3·10^5 years
 *       at 10^10 SHA-256 per second.
 *       The account in the input stops one computation from testing every account at once. (A
 *       password, by contrast, has perhaps 20-40 bits of human entropy and needs Argon2id.)</li>
 *   <li>Each code is accepted once: consumption is atomic in the {@link RecoveryCodeStore}, so of two
 *       instances racing with the same code exactly one succeeds. Issuing a new set voids the old.</li>
 *   <li>A presented code is compared with every unused hash of the account with
 *       {@link MessageDigest#isEqual}, without stopping at the first match.</li>
 *   <li>Any failure to read or update the store is a rejection ({@link RecoveryCheck.Reason#UNAVAILABLE}).</li>
 *   <li>Guessing is bounded by the caller counting every refusal as a failed login attempt
 *       ({@link LoginThrottle}); with 10 unused codes of 80 bits a guess succeeds with probability
 *       about 10^-23.</li>
 * </ul>
 */
public final class RecoveryCodes {
  /** Codes per set. */
  public static final int COUNT = 10;
  static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final int CHARS = 16;
  private static final int MAX_INPUT = 64;
  private static final byte[] DOMAIN = "custos recovery code v1".getBytes(StandardCharsets.US_ASCII);

  private final RecoveryCodeStore store;
  private final SecureRandom random;

  public RecoveryCodes(RecoveryCodeStore store, SecureRandom random) {
    this.store = Objects.requireNonNull(store, "store");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Issues a fresh set of {@link #COUNT} codes for {@code account}, voiding any earlier set. */
  public IssuedRecoveryCodes issue(StaffId account) {
    Objects.requireNonNull(account, "account");
    Set<String> codes = new HashSet<>();
    List<String> shown = new ArrayList<>(COUNT);
    List<RecoveryCodeHash> hashes = new ArrayList<>(COUNT);
    while (shown.size() < COUNT) {
      String code = randomCode();
      if (codes.add(code)) { // a repeat has probability 2^-80; the check costs nothing
        shown.add(code.substring(0, 4) + "-" + code.substring(4, 8) + "-" + code.substring(8, 12) + "-" + code.substring(12));
        hashes.add(hash(account, code));
      }
    }
    store.replaceAll(account, hashes);
    return new IssuedRecoveryCodes(account, shown);
  }

  /** Checks and, if valid, consumes {@code code} for {@code account}. Never throws for bad input. */
  public RecoveryCheck redeem(StaffId account, String code) {
    Objects.requireNonNull(account, "account");
    String canonical = canonical(code);
    if (canonical == null) {
      return new RecoveryCheck.Rejected(RecoveryCheck.Reason.MALFORMED);
    }
    RecoveryCodeHash presented = hash(account, canonical);
    List<RecoveryCodeHash> unused;
    try {
      unused = store.unused(account);
    } catch (RuntimeException e) {
      return new RecoveryCheck.Rejected(RecoveryCheck.Reason.UNAVAILABLE);
    }
    byte[] presentedBytes = presented.value();
    boolean found = false;
    for (RecoveryCodeHash candidate : unused) {
      found |= MessageDigest.isEqual(candidate.value(), presentedBytes);
    }
    if (!found) {
      return new RecoveryCheck.Rejected(RecoveryCheck.Reason.WRONG_CODE);
    }
    boolean consumed;
    try {
      consumed = store.consume(account, presented);
    } catch (RuntimeException e) {
      return new RecoveryCheck.Rejected(RecoveryCheck.Reason.UNAVAILABLE);
    }
    return consumed ? new RecoveryCheck.Accepted(unused.size() - 1)
        : new RecoveryCheck.Rejected(RecoveryCheck.Reason.WRONG_CODE);
  }

  /** How many unused codes {@code account} has left. */
  public int remaining(StaffId account) {
    return store.unused(account).size();
  }

  private String randomCode() {
    byte[] bits = new byte[CHARS * 5 / 8];
    random.nextBytes(bits);
    StringBuilder sb = new StringBuilder(CHARS);
    int buffer = 0;
    int count = 0;
    for (byte b : bits) {
      buffer = (buffer << 8) | (b & 0xff);
      count += 8;
      while (count >= 5) {
        sb.append(ALPHABET.charAt((buffer >> (count - 5)) & 31));
        count -= 5;
      }
    }
    return sb.toString();
  }

  /** The 16 canonical characters of a typed code, or null when it cannot be one. */
  static String canonical(String typed) {
    if (typed == null || typed.length() > MAX_INPUT) {
      return null;
    }
    StringBuilder sb = new StringBuilder(CHARS);
    for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
      switch (c) {
        case '-', ' ' -> { }
        case 'O' -> sb.append('0');
        case 'I', 'L' -> sb.append('1');
        default -> {
          if (ALPHABET.indexOf(c) < 0) {
            return null;
          }
          sb.append(c);
        }
      }
    }
    return sb.length() == CHARS ? sb.toString() : null;
  }

  static RecoveryCodeHash hash(StaffId account, String canonicalCode) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(DOMAIN);
      sha256.update((byte) 0);
      sha256.update(account.value().getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
      sha256.update(canonicalCode.getBytes(StandardCharsets.US_ASCII));
      return new RecoveryCodeHash(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
