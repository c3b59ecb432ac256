package dev.custos.server;

import dev.custos.access.CustomerId;
import dev.custos.incident.AccessIndex;
import dev.custos.incident.CustomerDirectory;
import dev.custos.incident.Exposure;
import dev.custos.incident.Incident;
import dev.custos.incident.IncidentReads;
import dev.custos.incident.Scope;
import dev.custos.vault.Commitment;
import dev.custos.vault.Field;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An incident's scope as security sees it: computed from the access index, customers resolved to
 * ids through the directory, each placed in a jurisdiction by the nationality the vault holds (read
 * under {@code custos.incident/v1} {@code customers.read} entries, purpose {@code scope}).
 */
final class IncidentScopes {
  static final Field NATIONALITY = new Field("nationality");

  /**
   * A scope with what security may know of its customers.
   *
   * @param resolved commitment to customer id, for those the directory still resolves (erased customers do not)
   * @param jurisdictions commitment to an ISO 3166 code, for those whose nationality is known
   */
  record View(Scope scope, Map<Commitment, CustomerId> resolved, Map<Commitment, String> jurisdictions) {
    Map<String, Integer> byJurisdiction() {
      return scope.customersByJurisdiction(c -> Optional.ofNullable(jurisdictions.get(c)));
    }

    Optional<CustomerId> id(Exposure e) {
      return Optional.ofNullable(resolved.get(e.customer()));
    }
  }

  /** The ledger did not take a read's entry: nothing was read, nothing may be shown. */
  static final class Unrecorded extends Exception {
    Unrecorded(String why) {
      super(why, null, false, false);
    }
  }

  private final AccessIndex index;
  private final CustomerDirectory directory;
  private final IncidentReads reads;

  IncidentScopes(AccessIndex index, CustomerDirectory directory, IncidentReads reads) {
    this.index = index;
    this.directory = directory;
    this.reads = reads;
  }

  AccessIndex index() {
    return index;
  }

  CustomerDirectory directory() {
    return directory;
  }

  /** The scope alone, customers as commitments. */
  Scope scope(Incident incident) {
    return Scope.of(index, incident.suspects(), incident.from(), incident.to());
  }

  /** The scope with ids and jurisdictions; reading nationalities is recorded on behalf of {@code by}. */
  View view(Incident incident, String by) throws Unrecorded {
    return view(incident, scope(incident), by);
  }

  /** As {@link #view(Incident, String)}, for a scope already computed. */
  View view(Incident incident, Scope scope, String by) throws Unrecorded {
    Map<Commitment, CustomerId> resolved = new LinkedHashMap<>();
    for (Exposure e : scope.exposures()) {
      directory.resolve(e.customer()).ifPresent(id -> resolved.put(e.customer(), id));
    }
    Map<Commitment, String> jurisdictions = new LinkedHashMap<>();
    if (!resolved.isEmpty() && reads.canRead(NATIONALITY)) {
      IncidentReads.Outcome o = reads.read(incident.id(), by, "scope", resolved.values(), Set.of(NATIONALITY));
      if (o instanceof IncidentReads.Outcome.Unrecorded u) {
        throw new Unrecorded(u.why());
      }
      Map<CustomerId, Map<String, String>> values = ((IncidentReads.Outcome.Read) o).values();
      resolved.forEach((c, id) -> {
        String n = values.getOrDefault(id, Map.of()).get(NATIONALITY.name());
        if (n != null && n.strip().matches("[A-Za-z]{2}")) {
          jurisdictions.put(c, n.strip().toUpperCase(Locale.ROOT));
        }
      });
    }
    return new View(scope, resolved, jurisdictions);
  }
}
