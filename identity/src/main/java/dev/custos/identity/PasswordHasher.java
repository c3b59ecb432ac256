package dev.custos.identity;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Hashes and verifies staff passwords with Argon2id (RFC 9106, version 0x13), through
 * BouncyCastle's pure-Java implementation.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>New hashes use the configured policy, which MUST meet one of OWASP's Argon2id minimums
 *       ({@link Argon2Cost#meetsOwaspMinimum()}); the constructor refuses anything weaker. Each
 *       hash has its own 16-byte salt from the injected {@link SecureRandom} and a 32-byte output.</li>
 *   <li>{@link #verify} compares the computed and the stored hash with
 *       {@link MessageDigest#isEqual} (constant time for equal lengths).</li>
 *   <li>{@link #verify} with no stored hash (an unknown user) does the same work as with one: an
 *       Argon2id computation at the policy's cost with a fresh salt, then a constant-time
 *       comparison, and returns false. A caller that passes the result of its account lookup
 *       straight in therefore answers an unknown user and a wrong password in the same time
 *       (OWASP ASVS 6.3.8). Hashes stored at an older, cheaper cost verify faster until they are
 *       rehashed ({@link #needsRehash}), which happens at the account's next successful login.</li>
 *   <li>At most {@code maxConcurrent} computations run at once (each holds {@code m} KiB of heap),
 *       so a burst of logins queues instead of exhausting memory.</li>
 *   <li>Passwords are not wiped here: the caller owns the {@link Password} and closes it. The UTF-8
 *       copy made for Argon2 is wiped before returning.</li>
 * </ul>
 */
public final class PasswordHasher {
  static final int SALT_BYTES = 16;
  static final int HASH_BYTES = 32;

  private final Argon2Cost policy;
  private final Semaphore permits;
  private final SecureRandom random;
  private final AtomicLong computations = new AtomicLong();

  /**
   * A hasher that writes new hashes at {@code policy}.
   *
   * @param maxConcurrent how many Argon2 computations may run at once; the number of cores is a good value
   * @throws IllegalArgumentException when the policy is below every OWASP minimum, or maxConcurrent is not positive
   */
  public PasswordHasher(Argon2Cost policy, int maxConcurrent, SecureRandom random) {
    this(policy, maxConcurrent, random, true);
  }

  /** Package-private escape hatch for tests that need cheap hashes; production code uses the public constructor. */
  PasswordHasher(Argon2Cost policy, int maxConcurrent, SecureRandom random, boolean enforceOwaspMinimum) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.random = Objects.requireNonNull(random, "random");
    if (enforceOwaspMinimum && !policy.meetsOwaspMinimum()) {
      throw new IllegalArgumentException("Argon2id policy " + policy + " is below every OWASP minimum " + Argon2Cost.OWASP_MINIMUMS);
    }
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be at least 1, was " + maxConcurrent);
    }
    this.permits = new Semaphore(maxConcurrent, true);
  }

  /** The cost of new hashes. */
  public Argon2Cost policy() {
    return policy;
  }

  /** A new hash of {@code password} at the policy's cost, with a fresh salt. */
  public PasswordHash hash(Password password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return new PasswordHash(policy, salt, argon2id(password, policy, salt, HASH_BYTES));
  }

  /**
   * Whether {@code password} matches {@code stored}. Pass the account lookup's result as it is:
   * when it is empty (no such user) the same work is done and the answer is false.
   */
  public boolean verify(Password password, Optional<PasswordHash> stored) {
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(stored, "stored");
    Argon2Cost cost = stored.map(PasswordHash::cost).orElse(policy);
    byte[] salt = stored.map(PasswordHash::salt).orElseGet(() -> {
      byte[] s = new byte[SALT_BYTES];
      random.nextBytes(s);
      return s;
    });
    byte[] expected = stored.map(PasswordHash::hash).orElseGet(() -> new byte[HASH_BYTES]);
    byte[] actual = argon2id(password, cost, salt, expected.length);
    boolean equal = MessageDigest.isEqual(expected, actual);
    return equal && stored.isPresent();
  }

  /**
   * Whether {@code stored} should be replaced by a hash at the current policy (after a successful
   * {@link #verify}, while the password is at hand): its memory or passes are below the policy, or
   * its salt or output is shorter than this hasher writes.
   */
  public boolean needsRehash(PasswordHash stored) {
    return stored.cost().weakerThan(policy) || stored.saltLength() < SALT_BYTES || stored.hashLength() < HASH_BYTES;
  }

  /** How many Argon2 computations this hasher has run (for tests and metrics). */
  long computations() {
    return computations.get();
  }

  private byte[] argon2id(Password password, Argon2Cost cost, byte[] salt, int length) {
    byte[] secret = password.utf8();
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Arrays.fill(secret, (byte) 0);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to hash a password", e);
    }
    try {
      Argon2BytesGenerator generator = new Argon2BytesGenerator();
      generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
          .withVersion(Argon2Parameters.ARGON2_VERSION_13)
          .withMemoryAsKB(cost.memoryKiB())
          .withIterations(cost.iterations())
          .withParallelism(cost.parallelism())
          .withSalt(salt)
          .build());
      byte[] out = new byte[length];
      generator.generateBytes(secret, out);
      computations.incrementAndGet();
      return out;
    } finally {
      permits.release();
      Arrays.fill(secret, (byte) 0);
    }
  }
}
