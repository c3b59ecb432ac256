package dev.custos.identity;

import dev.custos.access.StaffId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A fake {@link RecoveryCodeStore}; the PostgreSQL one extends {@link RecoveryCodeStoreContract} in {@code store}. */
final class InMemoryRecoveryCodeStore implements RecoveryCodeStore {
  private final Map<StaffId, List<RecoveryCodeHash>> codes = new HashMap<>();
  volatile boolean failing;

  @Override
  public synchronized void replaceAll(StaffId account, List<RecoveryCodeHash> hashes) {
    check();
    codes.put(account, new ArrayList<>(hashes));
  }

  @Override
  public synchronized List<RecoveryCodeHash> unused(StaffId account) {
    check();
    return List.copyOf(codes.getOrDefault(account, List.of()));
  }

  @Override
  public synchronized boolean consume(StaffId account, RecoveryCodeHash hash) {
    check();
    List<RecoveryCodeHash> list = codes.get(account);
    return list != null && list.remove(hash);
  }

  private void check() {
    if (failing) {
      throw new IllegalStateException("store down");
    }
  }
}
