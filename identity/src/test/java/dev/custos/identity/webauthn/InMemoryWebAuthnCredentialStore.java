package dev.custos.identity.webauthn;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fake {@link WebAuthnCredentialStore}; the PostgreSQL one extends {@link WebAuthnCredentialStoreContract} in {@code store}. */
final class InMemoryWebAuthnCredentialStore implements WebAuthnCredentialStore {
  private static final Comparator<WebAuthnCredential> OLDEST_FIRST = Comparator
      .comparing(WebAuthnCredential::createdAt)
      .thenComparing((a, b) -> Arrays.compareUnsigned(a.credentialId().bytes(), b.credentialId().bytes())); // as PostgreSQL orders bytea

  private final Map<CredentialId, WebAuthnCredential> credentials = new LinkedHashMap<>();
  volatile boolean failing;

  @Override
  public synchronized boolean add(WebAuthnCredential credential) {
    check();
    return credentials.putIfAbsent(credential.credentialId(), credential) == null;
  }

  @Override
  public synchronized List<WebAuthnCredential> forStaff(StaffId staff) {
    check();
    return credentials.values().stream().filter(c -> c.staff().equals(staff)).sorted(OLDEST_FIRST).toList();
  }

  @Override
  public synchronized Optional<WebAuthnCredential> find(CredentialId id) {
    check();
    return Optional.ofNullable(credentials.get(id));
  }

  @Override
  public synchronized List<WebAuthnCredential> forUserHandle(byte[] userHandle) {
    check();
    return credentials.values().stream()
        .filter(c -> Arrays.equals(c.userHandle(), userHandle))
        .sorted(OLDEST_FIRST)
        .toList();
  }

  @Override
  public synchronized boolean updateSignatureCount(CredentialId id, long count, Instant usedAt) {
    check();
    WebAuthnCredential c = credentials.get(id);
    if (c == null || !(count > c.signatureCount() || (count == 0 && c.signatureCount() == 0))) {
      return false;
    }
    credentials.put(id, c.withUse(count, usedAt));
    return true;
  }

  @Override
  public synchronized boolean remove(StaffId staff, CredentialId id) {
    check();
    WebAuthnCredential c = credentials.get(id);
    return c != null && c.staff().equals(staff) && credentials.remove(id) != null;
  }

  @Override
  public synchronized int removeAll(StaffId staff) {
    check();
    int before = credentials.size();
    credentials.values().removeIf(c -> c.staff().equals(staff));
    return before - credentials.size();
  }

  private void check() {
    if (failing) {
      throw new IllegalStateException("store down");
    }
  }
}
