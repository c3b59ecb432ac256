package dev.custos.identity;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Login defences against guessing: a per-account lockout and a per-address rate limit, with state
 * shared by all instances through a {@link LoginAttemptStore}.
 *
 * <p>Use: call {@link #admit} before checking any credential (password, TOTP code or recovery
 * code), and go on only if it answers {@link LoginGate.Allowed}. The attempt then counts as a
 * failure until the caller proves it good: {@link #firstFactorPassed} after a correct password
 * (the second factor is still to come), {@link #authenticated} after the second factor.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>At most {@code maxFailures} unproven attempts are admitted per account name between
 *       successful logins; the attempt that reaches the limit locks the name for {@code lockout}
 *       (PCI DSS 4.0 8.3.4: at most 10 attempts, at least 30 minutes; the settings refuse anything
 *       weaker). Because attempts count when admitted, not when they fail, a flood of parallel
 *       attempts or a crash mid-check cannot exceed the limit.</li>
 *   <li>Account names are throttled whether or not an account exists, with the same state and the
 *       same store calls, so a lockout answer reveals nothing about existence (OWASP ASVS 6.3.8).</li>
 *   <li>Each client address (IPv4, or the /64 prefix for IPv6, since one client holds a whole /64)
 *       has a token bucket of {@code addressBurst} attempts refilled evenly over
 *       {@code addressPeriod}, which slows spraying one password across many accounts.</li>
 *   <li>A lockout is lifted by time, by an administrator ({@link #unlock}), or by the successful
 *       login of an attempt admitted before it began (which proves the account holder).</li>
 *   <li>Store failures propagate as exceptions; callers MUST treat them as a refusal.</li>
 * </ul>
 *
 * <p>A lockout that anybody can trigger is also a way to lock staff out (denial of service); that is
 * the price PCI DSS sets, softened by the address limit and by unlocking through an administrator.
 */
public final class LoginThrottle {
  /**
   * Throttling settings; every setting is validated and a weaker-than-PCI lockout is refused.
   *
   * @param maxFailures unproven attempts per account name before a lockout, 1 to 10
   * @param lockout how long a lockout lasts, 30 minutes to 24 hours
   * @param failureMemory how long failures are remembered without a new one (then the count starts
   *     again), at least {@code lockout} and at most 30 days
   * @param addressBurst attempts an address may make at once, 1 to 1000
   * @param addressPeriod the time in which a drained address bucket refills completely, 1 second to 1 day
   */
  public record Settings(int maxFailures, Duration lockout, Duration failureMemory, int addressBurst,
      Duration addressPeriod) {
    /** 10 failures lock for 30 minutes (PCI DSS's limits); failures are remembered for a day; 20 attempts a minute per address. */
    public static final Settings DEFAULT =
        new Settings(10, Duration.ofMinutes(30), Duration.ofDays(1), 20, Duration.ofMinutes(1));

    public Settings {
      Objects.requireNonNull(lockout, "lockout");
      Objects.requireNonNull(failureMemory, "failureMemory");
      Objects.requireNonNull(addressPeriod, "addressPeriod");
      if (maxFailures < 1 || maxFailures > 10) {
        throw new IllegalArgumentException("login maxFailures must be 1 to 10 (PCI DSS 8.3.4), was " + maxFailures);
      }
      if (lockout.compareTo(Duration.ofMinutes(30)) < 0 || lockout.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("login lockout must be 30 minutes (PCI DSS 8.3.4) to 24 hours, was " + lockout);
      }
      if (failureMemory.compareTo(lockout) < 0 || failureMemory.compareTo(Duration.ofDays(30)) > 0) {
        throw new IllegalArgumentException("login failureMemory must be from lockout (" + lockout + ") to 30 days, was "
            + failureMemory);
      }
      if (addressBurst < 1 || addressBurst > 1000) {
        throw new IllegalArgumentException("login addressBurst must be 1 to 1000, was " + addressBurst);
      }
      if (addressPeriod.compareTo(Duration.ofSeconds(1)) < 0 || addressPeriod.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("login addressPeriod must be 1 second to 1 day, was " + addressPeriod);
      }
    }

    /** The time one attempt's token takes to come back. */
    Duration addressInterval() {
      return addressPeriod.dividedBy(addressBurst);
    }
  }

  private static final int MAX_PLAIN_KEY = 64;

  private final LoginAttemptStore store;
  private final Settings settings;
  private final InstantSource clock;

  public LoginThrottle(LoginAttemptStore store, Settings settings, InstantSource clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Whether an attempt to log in as {@code username} from {@code address} may check credentials.
   * Takes one token from the address's bucket and, unless throttled or locked, counts one attempt
   * against the account name.
   */
  public LoginGate admit(String username, InetAddress address) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(address, "address");
    Instant now = clock.instant();
    AddressBucket before = store.updateAddress(addressKey(address), b -> take(b, now));
    Duration over = overBudget(before, now);
    if (over.isPositive()) {
      return new LoginGate.Throttled(over);
    }
    AccountAttempts previous = store.updateAccount(accountKey(username), a -> admitted(a, now));
    if (previous.lockedAt(now)) {
      return new LoginGate.Locked(previous.lockedUntil().orElseThrow());
    }
    return new LoginGate.Allowed();
  }

  /**
   * The password of an admitted attempt was right: that attempt stops counting as a failure (the
   * second factor's attempt will count instead). Lifts the lockout only if this attempt's own
   * admission caused it.
   */
  public void firstFactorPassed(String username) {
    Instant now = clock.instant();
    store.updateAccount(accountKey(username), a -> refunded(a, now));
  }

  /** The account holder has logged in with every factor: its failures and any lockout are cleared. */
  public void authenticated(String username) {
    store.updateAccount(accountKey(username), a -> AccountAttempts.NONE);
  }

  /** An administrator lifts the lockout of {@code username} and clears its failures. */
  public void unlock(String username) {
    store.updateAccount(accountKey(username), a -> AccountAttempts.NONE);
  }

  /** The state of {@code username}, for an administrator's view. */
  public AccountAttempts attempts(String username) {
    return store.account(accountKey(username));
  }

  /** The state after admitting an attempt at {@code now} (unchanged while locked). */
  private AccountAttempts admitted(AccountAttempts a, Instant now) {
    if (a.lockedAt(now)) {
      return a;
    }
    boolean remembered = a.lockedUntil().isEmpty() && a.lastAttempt()
        .map(last -> last.plus(settings.failureMemory()).isAfter(now)).orElse(false);
    int failures = (remembered ? a.failures() : 0) + 1;
    Optional<Instant> lock = failures >= settings.maxFailures() ? Optional.of(now.plus(settings.lockout())) : Optional.empty();
    return new AccountAttempts(failures, Optional.of(now), lock);
  }

  /**
   * The state after one admitted attempt is proven good. If the limit was reached, the lockout began
   * with the admission of the last counted attempt, which may be this one; lifting it is right either
   * way, because the holder of a correct password is not the attacker the lockout is against, and
   * the second factor still counts.
   */
  private static AccountAttempts refunded(AccountAttempts a, Instant now) {
    if (a.failures() == 0) {
      return a;
    }
    boolean lockedByCount = a.lockedAt(now);
    return new AccountAttempts(a.failures() - 1, a.lastAttempt(), lockedByCount ? Optional.empty() : a.lockedUntil());
  }

  private AddressBucket take(AddressBucket b, Instant now) {
    return overBudget(b, now).isPositive() ? b : new AddressBucket(start(b, now).plus(settings.addressInterval()));
  }

  /** How far taking one more token would overdraw the bucket (positive: refused, and the wait). */
  private Duration overBudget(AddressBucket b, Instant now) {
    Instant after = start(b, now).plus(settings.addressInterval());
    return Duration.between(now, after).minus(settings.addressPeriod());
  }

  private static Instant start(AddressBucket b, Instant now) {
    return b.refilledAt().isAfter(now) ? b.refilledAt() : now;
  }

  /**
   * The store key for an account name: lower case (names differing only in case share one budget),
   * prefixed; names longer than 64 characters are hashed so that hostile input cannot bloat the store.
   */
  static String accountKey(String username) {
    String lower = username.strip().toLowerCase(Locale.ROOT);
    return lower.length() <= MAX_PLAIN_KEY ? "user:" + lower : "user#" + sha256Hex(lower);
  }

  /** The store key for a client address: the IPv4 address, or the /64 prefix of an IPv6 address. */
  static String addressKey(InetAddress address) {
    byte[] raw = address.getAddress();
    if (address instanceof Inet4Address) {
      return "ip4:" + address.getHostAddress();
    }
    return "ip6:" + HexFormat.of().formatHex(raw, 0, 8) + "/64";
  }

  private static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
