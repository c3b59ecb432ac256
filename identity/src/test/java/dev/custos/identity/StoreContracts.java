package dev.custos.identity;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

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
}
