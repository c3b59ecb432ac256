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

  @Override
  public boolean setPasswordHash(StaffId account, PasswordHash next) {
    check();
    return accounts.computeIfPresent(account, (k, c) -> new StaffCredentials(k, next, c.totpSecret())) != null;
  }

  final ConcurrentHashMap<StaffId, TotpSecret> pending = new ConcurrentHashMap<>();

  @Override
  public boolean setPendingTotp(StaffId account, TotpSecret secret) {
    check();
    if (!accounts.containsKey(account)) {
      return false;
    }
    pending.put(account, secret);
    return true;
  }

  @Override
  public Optional<TotpSecret> pendingTotp(StaffId account) {
    check();
    return Optional.ofNullable(pending.get(account));
  }

  @Override
  public synchronized boolean confirmTotp(StaffId account, TotpSecret expected) {
    check();
    TotpSecret p = pending.get(account);
    if (p == null || !p.equals(expected) || !accounts.containsKey(account)) {
      return false;
    }
    pending.remove(account);
    accounts.computeIfPresent(account, (k, c) -> new StaffCredentials(k, c.passwordHash(), Optional.of(p)));
    return true;
  }

  @Override
  public boolean removeTotp(StaffId account) {
    check();
    pending.remove(account);
    StaffCredentials c = accounts.get(account);
    if (c == null || c.totpSecret().isEmpty()) {
      return false;
    }
    accounts.put(account, new StaffCredentials(account, c.passwordHash(), Optional.empty()));
    return true;
  }

  private void check() {
    if (failing) {
      throw new IllegalStateException("store down");
    }
  }
}
