package dev.custos.store;

import dev.custos.identity.webauthn.WebAuthnCredentialStore;
import dev.custos.identity.webauthn.WebAuthnCredentialStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebAuthn credential contract against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). One
 * database for the class: the contract uses fresh staff ids and credential ids, and every
 * {@link #instance()} is a new table object over the same pool, as two Custos instances would be.
 */
class WebAuthnCredentialTableTest extends WebAuthnCredentialStoreContract {
  @TempDir
  static Path temp;

  private static TestDatabases.Handle handle;

  @BeforeAll
  static void open() throws Exception {
    handle = TestDatabases.open(temp);
  }

  @AfterAll
  static void close() throws Exception {
    handle.close();
  }

  @Override
  protected WebAuthnCredentialStore instance() {
    return new WebAuthnCredentialTable(handle.database().dataSource());
  }
}
