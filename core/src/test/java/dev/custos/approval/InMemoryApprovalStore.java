package dev.custos.approval;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An {@link ApprovalStore} in memory: compare-and-set by {@link ConcurrentHashMap#replace(Object, Object, Object)}. */
public final class InMemoryApprovalStore implements ApprovalStore {
  private final Map<RequestId, ApprovalRequest> requests = new ConcurrentHashMap<>();

  @Override
  public boolean create(ApprovalRequest request) {
    return requests.putIfAbsent(request.id(), request) == null;
  }

  @Override
  public Optional<ApprovalRequest> find(RequestId id) {
    return Optional.ofNullable(requests.get(id));
  }

  @Override
  public boolean replace(ApprovalRequest current, ApprovalRequest next) {
    if (next.version() != current.version() + 1 || !next.id().equals(current.id())) {
      throw new IllegalArgumentException("next must be the following version of the same request");
    }
    ApprovalRequest stored = requests.get(current.id());
    return stored != null && stored.version() == current.version() && requests.replace(current.id(), stored, next);
  }

  @Override
  public List<ApprovalRequest> list(Optional<ApprovalState> state, Optional<StaffId> requester, int limit) {
    return requests.values().stream()
        .filter(r -> state.isEmpty() || r.state() == state.get())
        .filter(r -> requester.isEmpty() || r.requester().equals(requester.get()))
        .sorted(Comparator.comparing(ApprovalRequest::createdAt).reversed().thenComparing(r -> r.id().value()))
        .limit(limit).toList();
  }

  @Override
  public List<ApprovalRequest> due(Instant now, int limit) {
    return requests.values().stream()
        .filter(r -> (r.state() == ApprovalState.PENDING && !now.isBefore(r.expiresAt()))
            || r.state() == ApprovalState.APPROVED
            || (r.state() == ApprovalState.TIME_LOCKED && !now.isBefore(r.unlocksAt().orElseThrow())))
        .sorted(Comparator.comparing(ApprovalRequest::createdAt).thenComparing(r -> r.id().value()))
        .limit(limit).toList();
  }
}
