package dev.custos.incident;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link IncidentStore} in memory, for tests. */
public final class InMemoryIncidentStore implements IncidentStore {
  private final Map<IncidentId, Incident> incidents = new HashMap<>();
  private final Map<IncidentId, List<IncidentStep>> steps = new HashMap<>();

  @Override
  public synchronized boolean create(Incident incident, IncidentStep first) {
    if (incidents.containsKey(incident.id())) {
      return false;
    }
    incidents.put(incident.id(), incident);
    steps.put(incident.id(), new ArrayList<>(List.of(first)));
    return true;
  }

  @Override
  public synchronized Optional<Incident> find(IncidentId id) {
    return Optional.ofNullable(incidents.get(id));
  }

  @Override
  public synchronized List<Incident> list(Optional<IncidentStatus> status, int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000");
    }
    return incidents.values().stream().filter(i -> status.isEmpty() || i.status() == status.get())
        .sorted(Comparator.comparing(Incident::openedAt).reversed().thenComparing(i -> i.id().value()))
        .limit(limit).toList();
  }

  @Override
  public synchronized List<Incident> active() {
    return incidents.values().stream().filter(i -> i.status().active()).toList();
  }

  @Override
  public synchronized boolean change(Incident next, long expectedVersion, IncidentStep step) {
    Incident current = incidents.get(next.id());
    if (current == null || current.version() != expectedVersion) {
      return false;
    }
    incidents.put(next.id(), new Incident(next.id(), current.title(), current.notes(), current.suspects(),
        current.from(), current.to(), next.status(), next.owner(), current.openedBy(), current.openedAt(),
        next.updatedAt(), expectedVersion + 1));
    steps.get(next.id()).add(step);
    return true;
  }

  @Override
  public synchronized boolean addStep(IncidentId id, IncidentStep step) {
    List<IncidentStep> s = steps.get(id);
    if (s == null) {
      return false;
    }
    s.add(step);
    return true;
  }

  @Override
  public synchronized List<IncidentStep> timeline(IncidentId id) {
    return List.copyOf(steps.getOrDefault(id, List.of()));
  }
}
