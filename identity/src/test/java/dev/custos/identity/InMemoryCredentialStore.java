package dev.custos.identity;

import dev.custos.access.StaffId;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A fake {@link StaffCredentialStore} for unit tests. */
final class InMemoryCredentialStore implements StaffCredentialStore {
  final ConcurrentHashMap<StaffId, StaffCredentials> accounts = new ConcurrentHashMap<>();
  final AtomicInteger finds = new AtomicInteger();
  volatile boolean failing;

  void put(StaffCredentials credentials) {
    accounts.put(credentials.account(), credentials);
  }

  @Override
  public Optional<StaffCredentials> find(StaffId account) {
    finds.incrementAndGet();
    check();
    return Optional.ofNullable(accounts.get(account));
  }

  @Override
  public boolean replacePasswordHash(StaffId account, PasswordHash expected, PasswordHash next) {
    check();
    StaffCredentials current = accounts.get(account);
    if (current == null || !current.passwordHash().equals(expected)) {
      return false;
    }
    return accounts.replace(account, current, new StaffCredentials(account, next, current.totpSecret()));
  }

  private void check() {
    if (failing) {
      throw new IllegalStateException("store down");
    }
  }
}
