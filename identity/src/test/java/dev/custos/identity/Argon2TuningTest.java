package dev.custos.identity;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Measures Argon2id on this machine for candidate policies; the figures and the command are in
 * docs/design/identity.md. Not a test of behaviour and skipped unless asked for:
 * {@code CUSTOS_TUNE_ARGON2=1 ./mvnw -q -B -ntp -pl identity test -Dtest=Argon2TuningTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfEnvironmentVariable(named = "CUSTOS_TUNE_ARGON2", matches = "1")
class Argon2TuningTest {
  private static final int WARMUP = 3;
  private static final int RUNS = 11;

  @Test
  void measureCandidatePolicies() throws Exception {
    List<Argon2Cost> candidates = List.of(new Argon2Cost(19456, 2, 1), new Argon2Cost(47104, 1, 1),
        new Argon2Cost(65536, 1, 1), new Argon2Cost(65536, 2, 1), new Argon2Cost(65536, 3, 1), new Argon2Cost(65536, 2, 2),
        new Argon2Cost(131072, 1, 1));
    System.out.printf("Argon2id on %s, %d cores, load average %.2f, Java %s (BouncyCastle %s)%n", System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.version(),
        new org.bouncycastle.jce.provider.BouncyCastleProvider().getVersionStr());
    System.out.println("policy                      median_ms  min_ms  max_ms  2-parallel_median_ms  verify_unknown_median_ms");
    for (Argon2Cost cost : candidates) {
      PasswordHasher hasher = new PasswordHasher(cost, 2, new SecureRandom(), false);
      try (Password p = Password.copyOf("marmot cinnamon velvet harbour".toCharArray())) {
        for (int i = 0; i < WARMUP; i++) {
          hasher.hash(p);
        }
        double[] single = time(() -> hasher.hash(p));
        double[] unknown = time(() -> hasher.verify(p, Optional.empty()));
        double[] parallel = parallelTime(hasher, p);
        System.out.printf("m=%-7d t=%d p=%d            %8.1f %7.1f %7.1f  %20.1f  %24.1f%n", cost.memoryKiB(),
            cost.iterations(), cost.parallelism(), median(single), single[0], single[single.length - 1], median(parallel),
            median(unknown));
      }
    }
  }

  private static double[] time(Runnable r) {
    double[] ms = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      r.run();
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }

  /** Latency of each of two hashes started together: what two simultaneous logins see on two cores. */
  private static double[] parallelTime(PasswordHasher hasher, Password p) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Double> all = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        List<Future<Double>> futures = new ArrayList<>();
        for (int j = 0; j < 2; j++) {
          futures.add(pool.submit(() -> {
            long start = System.nanoTime();
            hasher.hash(p);
            return (System.nanoTime() - start) / 1e6;
          }));
        }
        for (Future<Double> f : futures) {
          all.add(f.get());
        }
      }
      return all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    } finally {
      pool.shutdownNow();
    }
  }

  private static double median(double[] sorted) {
    return sorted[sorted.length / 2];
  }
}
