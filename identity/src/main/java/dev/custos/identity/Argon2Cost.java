package dev.custos.identity;

import java.util.List;

/**
 * The cost parameters of Argon2id (RFC 9106): memory in KiB ({@code m}), passes over it
 * ({@code t}) and lanes ({@code p}). The bounds below are sanity limits that also apply to hashes
 * read back from storage, so a tampered row cannot make one login allocate gigabytes.
 *
 * @param memoryKiB memory per hash in KiB, at least {@code 8 * parallelism}, at most 1 GiB
 * @param iterations passes over memory, 1 to 64
 * @param parallelism lanes, 1 to 16
 */
public record Argon2Cost(int memoryKiB, int iterations, int parallelism) {
  static final int MAX_MEMORY_KIB = 1 << 20;
  static final int MAX_ITERATIONS = 64;
  static final int MAX_PARALLELISM = 16;

  /**
   * Custos's policy for new hashes on these machines: 64 MiB, 2 passes, 1 lane (about 0.2 s per hash
   * on a 2.5 GHz Xeon vCPU with BouncyCastle; measurements and reasoning in docs/design/identity.md).
   * One lane because BouncyCastle computes lanes one after the other: more lanes buy no speed.
   */
  public static final Argon2Cost DEFAULT = new Argon2Cost(64 * 1024, 2, 1);

  /**
   * The OWASP Password Storage Cheat Sheet's equivalent minimum configurations for Argon2id
   * (m=46 MiB t=1, m=19 MiB t=2, m=12 MiB t=3, m=9 MiB t=4, m=7 MiB t=5, all p=1). A policy must
   * reach at least one of them in both memory and passes.
   */
  public static final List<Argon2Cost> OWASP_MINIMUMS = List.of(
      new Argon2Cost(47104, 1, 1), new Argon2Cost(19456, 2, 1), new Argon2Cost(12288, 3, 1),
      new Argon2Cost(9216, 4, 1), new Argon2Cost(7168, 5, 1));

  public Argon2Cost {
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException("Argon2 parallelism (p) must be 1 to " + MAX_PARALLELISM + ", was " + parallelism);
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("Argon2 iterations (t) must be 1 to " + MAX_ITERATIONS + ", was " + iterations);
    }
    if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
      throw new IllegalArgumentException("Argon2 memory (m) must be 8*p to " + MAX_MEMORY_KIB + " KiB, was " + memoryKiB
          + " with p=" + parallelism);
    }
  }

  /** Whether this cost reaches at least one of {@link #OWASP_MINIMUMS} in both memory and passes. */
  public boolean meetsOwaspMinimum() {
    return OWASP_MINIMUMS.stream().anyMatch(min -> memoryKiB >= min.memoryKiB && iterations >= min.iterations);
  }

  /**
   * Whether a hash made with this cost is cheaper to attack than one made with {@code policy}: less
   * memory or fewer passes. Fewer lanes at equal memory is not weaker (it only limits the defender's
   * parallelism), so lanes are not compared.
   */
  public boolean weakerThan(Argon2Cost policy) {
    return memoryKiB < policy.memoryKiB || iterations < policy.iterations;
  }
}
