package dev.custos.identity;

import dev.custos.access.StaffId;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake {@link StaffCredentialStore}; the PostgreSQL one extends {@link StaffCredentialStoreContract}
 * in {@code store}. One monitor (this object) guards every change, so each compare-and-set is atomic.
 */
final class InMemoryCredentialStore implements StaffCredentialStore {
  /** Local accounts and their credentials (the confirmed TOTP secret only); tests may read it. */
  final ConcurrentHashMap<StaffId, StaffCredentials> accounts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<StaffId, TotpSecret> pending = new ConcurrentHashMap<>();
  final AtomicInteger finds = new AtomicInteger();
  volatile boolean failing;

  /** Adds or replaces a local account's credentials, as {@link StaffDirectory#create} does for a new one. */
  synchronized void put(StaffCredentials credentials) {
    accounts.put(credentials.account(), credentials);
  }

  @Override
  public Optional<StaffCredentials> find(StaffId account) {
    finds.incrementAndGet();
    check();
    return Optional.ofNullable(accounts.get(account));
  }

  @Override
  public synchronized boolean replacePasswordHash(StaffId account, PasswordHash expected, PasswordHash next) {
    check();
    StaffCredentials current = accounts.get(account);
    if (current == null || !current.passwordHash().equals(expected)) {
      return false;
    }
    accounts.put(account, new StaffCredentials(account, next, current.totpSecret()));
    return true;
  }

  @Override
  public synchronized boolean setPasswordHash(StaffId account, PasswordHash next) {
    check();
    StaffCredentials current = accounts.get(account);
    if (current == null) {
      return false;
    }
    accounts.put(account, new StaffCredentials(account, next, current.totpSecret()));
    return true;
  }

  @Override
  public synchronized boolean setPendingTotp(StaffId account, TotpSecret secret) {
    check();
    if (!accounts.containsKey(account)) {
      return false;
    }
    pending.put(account, secret);
    return true;
  }

  @Override
  public synchronized Optional<TotpSecret> pendingTotp(StaffId account) {
    check();
    return Optional.ofNullable(pending.get(account));
  }

  @Override
  public synchronized boolean confirmTotp(StaffId account, TotpSecret expected) {
    check();
    TotpSecret p = pending.get(account);
    StaffCredentials current = accounts.get(account);
    if (p == null || current == null || !p.equals(expected)) {
      return false;
    }
    pending.remove(account);
    accounts.put(account, new StaffCredentials(account, current.passwordHash(), Optional.of(p)));
    return true;
  }

  @Override
  public synchronized boolean removeTotp(StaffId account) {
    check();
    pending.remove(account);
    StaffCredentials current = accounts.get(account);
    if (current == null || current.totpSecret().isEmpty()) {
      return false;
    }
    accounts.put(account, new StaffCredentials(account, current.passwordHash(), Optional.empty()));
    return true;
  }

  private void check() {
    if (failing) {
      throw new IllegalStateException("store down");
    }
  }
}
