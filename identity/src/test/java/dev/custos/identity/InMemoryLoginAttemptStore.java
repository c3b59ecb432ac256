package dev.custos.identity;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** A fake {@link LoginAttemptStore}; the PostgreSQL one extends {@link LoginAttemptStoreContract} in {@code store}. */
final class InMemoryLoginAttemptStore implements LoginAttemptStore {
  private final ConcurrentHashMap<String, AccountAttempts> accounts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AddressBucket> addresses = new ConcurrentHashMap<>();
  final AtomicInteger calls = new AtomicInteger();
  volatile boolean failing;

  @Override
  public AccountAttempts account(String accountKey) {
    check();
    return accounts.getOrDefault(accountKey, AccountAttempts.NONE);
  }

  @Override
  public AccountAttempts updateAccount(String accountKey, UnaryOperator<AccountAttempts> change) {
    check();
    AtomicReference<AccountAttempts> before = new AtomicReference<>();
    accounts.compute(accountKey, (k, v) -> {
      AccountAttempts previous = v == null ? AccountAttempts.NONE : v;
      before.set(previous);
      return change.apply(previous);
    });
    return before.get();
  }

  @Override
  public AddressBucket updateAddress(String addressKey, UnaryOperator<AddressBucket> change) {
    check();
    AtomicReference<AddressBucket> before = new AtomicReference<>();
    addresses.compute(addressKey, (k, v) -> {
      AddressBucket previous = v == null ? AddressBucket.FULL : v;
      before.set(previous);
      return change.apply(previous);
    });
    return before.get();
  }

  @Override
  public int purge(Instant before) {
    check();
    int[] removed = {0};
    for (String key : accounts.keySet()) {
      accounts.computeIfPresent(key, (k, a) -> {
        if (before(a.lastAttempt(), before) && before(a.lockedUntil(), before)) {
          removed[0]++;
          return null;
        }
        return a;
      });
    }
    for (String key : addresses.keySet()) {
      addresses.computeIfPresent(key, (k, b) -> {
        if (b.refilledAt().isBefore(before)) {
          removed[0]++;
          return null;
        }
        return b;
      });
    }
    return removed[0];
  }

  private static boolean before(Optional<Instant> t, Instant cutOff) {
    return t.map(i -> i.isBefore(cutOff)).orElse(true);
  }

  private void check() {
    calls.incrementAndGet();
    if (failing) {
      throw new IllegalStateException("store down");
    }
  }
}
