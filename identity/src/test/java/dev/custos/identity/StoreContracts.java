package dev.custos.identity;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What the store contracts share: fresh account names, sample values and a starting gun for races.
 * Public for the contracts in subpackages ({@code webauthn}).
 *
 * <p>Instants: stores keep them to the microsecond (PostgreSQL's {@code timestamptz}), truncating
 * any finer part; the samples here are whole microseconds, and each contract has one test that pins
 * the truncation.
 */
public final class StoreContracts {
  /** A whole-microsecond instant that the contracts count from. */
  static final Instant T = Instant.parse("2026-11-21T10:00:00.123456Z");

  private static final SecureRandom RANDOM = new SecureRandom();

  private StoreContracts() {}

  /** An account name no other test uses, so contracts need no cleanup between tests on a shared database. */
  public static StaffId freshAccount() {
    return new StaffId("contract-" + UUID.randomUUID());
  }

  /** A new, active account of {@code origin}, created at {@link #T}. */
  static StaffAccount account(StaffId id, StaffAccount.Origin origin) {
    return StaffAccount.create(id, "Ada Lovelace", Set.of(Role.SUPPORT_L1, Role.KYC_REVIEWER), Optional.of("tier-2"),
        origin, T);
  }

  /** A well-formed Argon2id hash with random salt and output (never computed: the store does not care). */
  static PasswordHash passwordHash() {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    String encoded = "$argon2id$v=19$m=65536,t=2,p=1$" + b64.encodeToString(randomBytes(16)) + "$"
        + b64.encodeToString(randomBytes(32));
    return switch (PasswordHash.parse(encoded)) {
      case Parsed.Valid<PasswordHash> v -> v.value();
      case Parsed.Invalid<PasswordHash> i -> throw new AssertionError(i.problem());
    };
  }

  static TotpSecret totpSecret() {
    return TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM);
  }

  /** The storage key of a fresh session secret, as the server would compute it. */
  static String sessionKey() {
    return SessionSecret.random(RANDOM).storageKey();
  }

  static SessionHandle sessionHandle() {
    return SessionHandle.random(RANDOM);
  }

  /** A live, fully authenticated session of {@code staff} opened at {@code createdAt}, lasting 12 hours. */
  static Session session(StaffId staff, Instant createdAt) {
    return session(staff, createdAt, createdAt.plus(Duration.ofHours(12)));
  }

  /** A live, fully authenticated session of {@code staff} opened at {@code createdAt}, ending at {@code expiresAt}. */
  static Session session(StaffId staff, Instant createdAt, Instant expiresAt) {
    return new Session(sessionHandle(), staff, SessionState.ACTIVE, "password+totp", createdAt, createdAt, expiresAt,
        Optional.of(createdAt), "203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) Custos contract", "",
        Optional.empty(), Optional.empty());
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** Runs every task at (nearly) the same instant on its own thread and returns their results in order. */
  public static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      CountDownLatch ready = new CountDownLatch(tasks.size());
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          return task.call();
        }));
      }
      ready.await();
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
