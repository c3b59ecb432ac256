package dev.custos.access;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** A fake {@link CaseStore}; the PostgreSQL one passes the same {@link CaseStoreContract}. */
public final class InMemoryCaseStore implements CaseStore {
  private final ConcurrentHashMap<CaseId, Case> cases = new ConcurrentHashMap<>();

  @Override
  public boolean create(Case kase) {
    return cases.putIfAbsent(kase.id(), kase) == null;
  }

  @Override
  public Optional<Case> find(CaseId id) {
    return Optional.ofNullable(cases.get(id));
  }

  @Override
  public boolean approve(CaseId id, CaseApproval approval) {
    AtomicBoolean done = new AtomicBoolean();
    cases.computeIfPresent(id, (k, c) -> {
      if (c.approval().isPresent() || c.closedAt().isPresent()) {
        return c;
      }
      done.set(true);
      return c.withApproval(approval);
    });
    return done.get();
  }

  @Override
  public boolean close(CaseId id, Instant at) {
    AtomicBoolean done = new AtomicBoolean();
    cases.computeIfPresent(id, (k, c) -> {
      if (c.closedAt().isPresent()) {
        return c;
      }
      done.set(true);
      return c.closed(at);
    });
    return done.get();
  }

  @Override
  public List<Case> runningCasesOf(StaffId member, Instant now) {
    return cases.values().stream().filter(c -> c.members().contains(member) && c.runningAt(now))
        .sorted(Comparator.comparing(Case::openedAt).reversed().thenComparing(c -> c.id().value())).toList();
  }
}
