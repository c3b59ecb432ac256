package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.StaffId;
import dev.custos.identity.webauthn.Assertion;
import dev.custos.identity.webauthn.AssertionStart;
import dev.custos.identity.webauthn.Registration;
import dev.custos.identity.webauthn.RegistrationStart;
import dev.custos.identity.webauthn.SoftwareAuthenticator;
import dev.custos.identity.webauthn.WebAuthn;
import dev.custos.identity.webauthn.WebAuthnCredential;
import dev.custos.identity.webauthn.WebAuthnSettings;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebAuthn registration and assertion end to end over PostgreSQL, with a software authenticator.
 * One database for the tests that keep it up (each works with its own credentials).
 */
class WebAuthnOnPostgresTest {
  private static final String ORIGIN = "http://localhost:8080";
  private static final StaffId ALICE = new StaffId("agent-17");

  @TempDir
  static Path shared;
  @TempDir
  Path temp;

  private static TestDatabases.Handle h;

  @BeforeAll
  static void open() throws Exception {
    h = TestDatabases.open(shared);
  }

  @AfterAll
  static void close() throws Exception {
    h.close();
  }

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:00:00.123456789Z"));
  private final SecureRandom random = new SecureRandom();

  private WebAuthn webauthn(TestDatabases.Handle database) {
    return new WebAuthn(WebAuthnSettings.of("localhost", "Custos", Set.of(ORIGIN)),
        new WebAuthnCredentialTable(database.database().dataSource()), now::get, random);
  }

  private static WebAuthnCredential register(WebAuthn webauthn, SoftwareAuthenticator key) {
    RegistrationStart.Ready start = (RegistrationStart.Ready) webauthn.startRegistration(ALICE, "Ada Lovelace");
    Registration result = webauthn.finishRegistration(ALICE, start.requestJson(), key.create(start.optionsJson()), "YubiKey");
    return ((Registration.Registered) result).credential();
  }

  @Test
  void registeredKey_provesTheSecondFactorOnAnotherInstance_andACountGoingBackIsRefused() {
    SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN, random);
    WebAuthnCredential registered = register(webauthn(h), key);
    WebAuthn other = webauthn(h);
    now.set(now.get().plusSeconds(60));

    AssertionStart.Ready start = (AssertionStart.Ready) other.startAssertion(ALICE);
    assertThat(other.finishAssertion(ALICE, start.requestJson(), key.get(start.optionsJson())))
        .isEqualTo(new Assertion.Asserted(key.id(), 1));

    AssertionStart.Ready again = (AssertionStart.Ready) webauthn(h).startAssertion(ALICE);
    assertThat(webauthn(h).finishAssertion(ALICE, again.requestJson(), key.get(again.optionsJson(), 0)))
        .isEqualTo(new Assertion.Refused(Assertion.Reason.COUNTER_REGRESSED, Optional.of(key.id()),
            Optional.of(new Assertion.CounterRegression(1, 0))));
    WebAuthnCredential stored = new WebAuthnCredentialTable(h.database().dataSource()).find(key.id()).orElseThrow();
    assertThat(stored).isEqualTo(registered.withUse(1, Instant.parse("2026-11-21T10:01:00.123456Z")));
  }

  @Test
  void table_holdsThePublicKey_andNothingElseOfTheAuthenticator() throws Exception {
    SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN, random);
    register(webauthn(h), key);

    try (Connection c = h.database().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT staff, public_key_cose, signature_count, transports::text "
            + "FROM webauthn_credential WHERE credential_id = ?")) {
      ps.setBytes(1, key.id().bytes());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("staff")).isEqualTo("agent-17");
        assertThat(rs.getBytes("public_key_cose")).isEqualTo(key.publicKeyCose());
        assertThat(rs.getLong("signature_count")).isZero();
        assertThat(rs.getString("transports")).isEqualTo("{nfc,usb}");
      }
    }
  }

  @Test
  void unreachableDatabase_failsClosed() throws Exception {
    var own = TestDatabases.open(temp);
    SoftwareAuthenticator key = new SoftwareAuthenticator(ORIGIN, random);
    WebAuthn webauthn = webauthn(own);
    register(webauthn, key);
    AssertionStart.Ready start = (AssertionStart.Ready) webauthn.startAssertion(ALICE);
    String response = key.get(start.optionsJson());
    own.close();

    assertThat(webauthn.finishAssertion(ALICE, start.requestJson(), response))
        .isEqualTo(new Assertion.Refused(Assertion.Reason.UNAVAILABLE, Optional.of(key.id())));
    assertThat(webauthn.startAssertion(ALICE)).isEqualTo(new AssertionStart.Refused(AssertionStart.Reason.UNAVAILABLE));
  }
}
