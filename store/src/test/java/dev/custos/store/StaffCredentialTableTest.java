package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.Parsed;
import dev.custos.identity.PasswordHash;
import dev.custos.identity.SecretBox;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffCredentialStore;
import dev.custos.identity.StaffCredentialStoreContract;
import dev.custos.identity.StaffDirectory;
import dev.custos.identity.TotpAlgorithm;
import dev.custos.identity.TotpSecret;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link StaffCredentialTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class StaffCredentialTableTest extends StaffCredentialStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] KEY = bytes(32);
  private static final String PHC = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** Another instance each time, as another Custos process would build it: the same key, its own box. */
  @Override
  protected StaffCredentialStore instance() {
    return new StaffCredentialTable(db.dataSource(), new SecretBox(KEY, new SecureRandom()));
  }

  @Override
  protected StaffDirectory directory() {
    return new StaffTable(db.dataSource());
  }

  /** A local account with {@code secret} confirmed and {@code pending} under way. */
  private StaffId enrolled(TotpSecret secret, TotpSecret pending) {
    StaffId id = new StaffId("table-" + UUID.randomUUID());
    PasswordHash hash = ((Parsed.Valid<PasswordHash>) PasswordHash.parse(PHC)).value();
    directory().create(StaffAccount.create(id, "Ada", Set.of(Role.SUPPORT_L1), Optional.empty(), StaffAccount.Origin.LOCAL,
        Instant.parse("2026-11-21T10:00:00Z")), Optional.of(hash));
    instance().setPendingTotp(id, secret);
    instance().confirmTotp(id, secret);
    instance().setPendingTotp(id, pending);
    return id;
  }

  private static void sql(String sql, String... params) throws Exception {
    try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      ps.executeUpdate();
    }
  }

  @Test
  void table_holdsNoTotpSecretInTheClear() throws Exception {
    TotpSecret secret = TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM);
    TotpSecret pending = TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM);
    StaffId id = enrolled(secret, pending);

    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT staff_credential::text FROM staff_credential WHERE staff = ?")) {
      ps.setString(1, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        String row = rs.getString(1);
        for (TotpSecret s : List.of(secret, pending)) {
          assertThat(row).doesNotContainIgnoringCase(HexFormat.of().formatHex(s.revealBytes()))
              .doesNotContainIgnoringCase(s.revealBase32());
        }
      }
    }
  }

  @Test
  void ciphertextCopiedFromAnotherAccount_doesNotOpen() throws Exception {
    StaffId victim = enrolled(TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM), TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM));
    StaffId insider = enrolled(TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM), TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM));

    // An insider with write access to the table gives the victim's account their own authenticator.
    sql("UPDATE staff_credential SET totp_secret = (SELECT totp_secret FROM staff_credential WHERE staff = ?) "
        + "WHERE staff = ?", insider.value(), victim.value());

    assertThatThrownBy(() -> instance().find(victim)).isInstanceOf(StoreException.class)
        .hasMessageContaining("does not open");
    assertThat(instance().find(insider)).isPresent();
  }

  @Test
  void pendingCiphertextMovedToTheActiveColumn_doesNotOpen() throws Exception {
    StaffId id = enrolled(TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM), TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM));

    sql("UPDATE staff_credential SET totp_secret = totp_pending WHERE staff = ?", id.value());

    assertThatThrownBy(() -> instance().find(id)).isInstanceOf(StoreException.class);
  }

  @Test
  void activeCiphertextMovedToThePendingColumn_cannotBeConfirmed() throws Exception {
    TotpSecret secret = TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM);
    StaffId id = enrolled(secret, TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM));

    sql("UPDATE staff_credential SET totp_pending = totp_secret WHERE staff = ?", id.value());

    assertThatThrownBy(() -> instance().pendingTotp(id)).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> instance().confirmTotp(id, secret)).isInstanceOf(StoreException.class);
  }

  @Test
  void alteredCiphertext_doesNotOpen() throws Exception {
    StaffId id = enrolled(TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM), TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM));

    sql("UPDATE staff_credential SET totp_secret = set_byte(totp_secret, 20, get_byte(totp_secret, 20) # 1) "
        + "WHERE staff = ?", id.value());

    assertThatThrownBy(() -> instance().find(id)).isInstanceOf(StoreException.class);
  }

  @Test
  void anotherKey_failsClosed_neverReportingNoSecondFactor() {
    StaffId id = enrolled(TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM), TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM));
    StaffCredentialStore wrongKey = new StaffCredentialTable(db.dataSource(), new SecretBox(bytes(32), RANDOM));

    assertThatThrownBy(() -> wrongKey.find(id)).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> wrongKey.pendingTotp(id)).isInstanceOf(StoreException.class);
  }

  @Test
  void unparseablePasswordHash_failsClosed_withoutQuotingIt() throws Exception {
    StaffId id = enrolled(TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM), TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM));
    String broken = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$tooShortAHash";

    sql("UPDATE staff_credential SET password_hash = ? WHERE staff = ?", broken, id.value());

    assertThatThrownBy(() -> instance().find(id)).isInstanceOf(StoreException.class)
        .hasMessageNotContaining("tooShortAHash");
  }

  @Test
  void unreachableDatabase_throws_forEveryMethod() {
    StaffCredentialStore down = new StaffCredentialTable(TestDatabases.unreachable(), new SecretBox(KEY, RANDOM));
    StaffId id = new StaffId("agent-17");
    PasswordHash hash = ((Parsed.Valid<PasswordHash>) PasswordHash.parse(PHC)).value();
    TotpSecret secret = TotpSecret.generate(TotpAlgorithm.SHA1, RANDOM);
    List<ThrowingCallable> calls = List.of(
        () -> down.find(id),
        () -> down.replacePasswordHash(id, hash, hash),
        () -> down.setPasswordHash(id, hash),
        () -> down.setPendingTotp(id, secret),
        () -> down.pendingTotp(id),
        () -> down.confirmTotp(id, secret),
        () -> down.removeTotp(id));

    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call).isInstanceOf(StoreException.class).hasMessageStartingWith("cannot ");
    }
  }
}
