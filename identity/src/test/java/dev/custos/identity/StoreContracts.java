package dev.custos.identity;

import dev.custos.access.StaffId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What the store contracts share: fresh account names and a starting gun for races. Public for the
 * contracts in subpackages ({@code webauthn}).
 */
public final class StoreContracts {
  private StoreContracts() {}

  /** An account name no other test uses, so contracts need no cleanup between tests on a shared database. */
  public static StaffId freshAccount() {
    return new StaffId("contract-" + UUID.randomUUID());
  }

  /** Runs every task at (nearly) the same instant on its own thread and returns their results in order. */
  public static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      CountDownLatch ready = new CountDownLatch(tasks.size());
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          return task.call();
        }));
      }
      ready.await();
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
