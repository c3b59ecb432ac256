package dev.custos.incident;

import java.util.List;
import java.util.Optional;

/**
 * Where incidents and their timelines are kept (PostgreSQL in the server, memory in tests).
 * Implementations MUST be safe for concurrent use and MUST make {@link #change} atomic: the
 * incident and its step are written together or not at all, and only over the version named.
 */
public interface IncidentStore {
  /** Stores a new incident (version 0) with its first step; false if the id is taken. */
  boolean create(Incident incident, IncidentStep first);

  /** The incident, if known. */
  Optional<Incident> find(IncidentId id);

  /** Incidents, newest first, only those in {@code status} when given; at most {@code limit} (1 to 1000). */
  List<Incident> list(Optional<IncidentStatus> status, int limit);

  /** Incidents not closed. */
  List<Incident> active();

  /**
   * Replaces the incident by {@code next} (its status, owner and update time) with version
   * {@code expectedVersion + 1}, and appends {@code step}, if and only if its version is still
   * {@code expectedVersion}.
   *
   * @return whether it changed (false: another change came first, or no such incident)
   */
  boolean change(Incident next, long expectedVersion, IncidentStep step);

  /** Appends a step that changes nothing else (a read of the scope, a notification run); false if no such incident. */
  boolean addStep(IncidentId id, IncidentStep step);

  /** The timeline, oldest first. */
  List<IncidentStep> timeline(IncidentId id);
}
