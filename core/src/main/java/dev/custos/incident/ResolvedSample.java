package dev.custos.incident;

import dev.custos.access.CustomerId;
import dev.custos.vault.Commitment;
import dev.custos.vault.SearchKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A leaked sample resolved to the ledger's commitments: the records that name exactly one customer
 * the vault holds, and why each other record does not. No customer data is kept: only the line, the
 * commitment and which fields leaked.
 *
 * @param matched the records that name one real customer, in file order
 * @param decoys the records that name a decoy customer, each with the staff it was assigned to
 * @param unresolved the records that name none, in file order, each with a reason free of personal data
 */
public record ResolvedSample(List<Match> matched, List<Attribution.DecoyMatch> decoys, List<Unresolved> unresolved) {
  public ResolvedSample {
    matched = List.copyOf(matched);
    decoys = List.copyOf(decoys);
    unresolved = List.copyOf(unresolved);
  }

  /** The input to {@link Attribution} for this sample over all time. */
  public Attribution.Input input(List<String> watermarks, java.time.Instant from, java.time.Instant to, int limit) {
    return new Attribution.Input(matched, decoys, watermarks, from, to, limit);
  }

  /**
   * A record matched to a customer.
   *
   * @param line the record's line
   * @param customer the customer's commitment
   * @param fields the fields that leaked and whether in clear or masked (empty: unknown)
   */
  public record Match(int line, Commitment customer, Map<String, Exposure.Shown> fields) {
    public Match {
      Objects.requireNonNull(customer, "customer");
      fields = Map.copyOf(fields);
    }
  }

  /**
   * A record that names no single customer the vault holds.
   *
   * @param line the record's line
   * @param reason why, without personal data
   */
  public record Unresolved(int line, String reason) {
    public Unresolved {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** How a sample's identifiers are looked up: the vault answers both. */
  public interface Lookup {
    /** The customers whose {@code key} field holds {@code value} (the vault's blind index). */
    List<CustomerId> find(SearchKey key, String value);

    /** The customer's commitment, if the vault holds them. */
    Optional<Commitment> commitment(CustomerId customer);

    /**
     * When {@code customer} is a decoy, the staff it was assigned to (those whose search results may
     * show it); empty for a real customer. By default there are no decoys.
     */
    default Optional<Set<dev.custos.access.StaffId>> decoy(CustomerId customer) {
      return Optional.empty();
    }

    /** A lookup over two functions (for example {@code vault::find} and {@code vault::commitment}). */
    static Lookup of(BiFunction<SearchKey, String, List<CustomerId>> find, Function<CustomerId, Optional<Commitment>> commitment) {
      return new Lookup() {
        @Override
        public List<CustomerId> find(SearchKey key, String value) {
          return find.apply(key, value);
        }

        @Override
        public Optional<Commitment> commitment(CustomerId customer) {
          return commitment.apply(customer);
        }
      };
    }
  }

  /**
   * Resolves each record: its customer id directly, its e-mail, phone and government id through the
   * blind index; a record's identifiers must agree on one customer. Names are not searchable (the
   * vault keeps no blind index of names, by design), so a record that only has a name stays
   * unresolved here; {@link NameMatching} then matches it among the customers seen in the window;
   * see docs/incident-response.md, "Leak attribution".
   */
  public static ResolvedSample resolve(LeakSample sample, Lookup lookup) {
    Objects.requireNonNull(sample, "sample");
    Objects.requireNonNull(lookup, "lookup");
    List<Match> matched = new ArrayList<>();
    List<Attribution.DecoyMatch> decoys = new ArrayList<>();
    List<Unresolved> unresolved = new ArrayList<>();
    for (LeakSample.Record r : sample.records()) {
      Set<CustomerId> candidates = null;
      boolean searchable = false;
      String bad = null;
      Optional<String> id = r.identifier("customer_id");
      if (id.isPresent()) {
        searchable = true;
        try {
          candidates = new LinkedHashSet<>(List.of(CustomerId.parse(id.get())));
        } catch (IllegalArgumentException e) {
          bad = "customer_id is not a customer id";
          candidates = new LinkedHashSet<>();
        }
      }
      for (SearchKey key : SearchKey.values()) {
        Optional<String> value = r.identifier(key.field().name());
        if (value.isEmpty() || LeakSample.masked(value.get()) || key.normalise(value.get()).isEmpty()) {
          continue; // a masked value cannot be looked up exactly
        }
        searchable = true;
        Set<CustomerId> found = new LinkedHashSet<>(lookup.find(key, value.get()));
        if (candidates == null) {
          candidates = found;
        } else {
          candidates.retainAll(found);
        }
      }
      if (!searchable) {
        unresolved.add(new Unresolved(r.line(), r.identifier("name").isPresent()
            ? "only a name or masked identifiers: names cannot be looked up in the blind index (a name in clear"
                + " is matched among the customers seen in the window, when attribution matches names)"
            : "only masked identifiers, which cannot be looked up exactly"));
        continue;
      }
      if (candidates.isEmpty()) {
        unresolved.add(new Unresolved(r.line(), bad != null ? bad : "no customer matches every identifier of the record"));
        continue;
      }
      if (candidates.size() > 1) {
        unresolved.add(new Unresolved(r.line(), candidates.size() + " customers match; the record is ambiguous"));
        continue;
      }
      CustomerId customer = candidates.iterator().next();
      Optional<Commitment> c = lookup.commitment(customer);
      if (c.isEmpty()) {
        unresolved.add(new Unresolved(r.line(), "the customer is not in the vault (never stored, or erased)"));
        continue;
      }
      Optional<Set<dev.custos.access.StaffId>> decoy = lookup.decoy(customer);
      if (decoy.isPresent()) {
        decoys.add(new Attribution.DecoyMatch(c.get(), r.line(), decoy.get()));
      } else {
        matched.add(new Match(r.line(), c.get(), r.leakedFields()));
      }
    }
    return new ResolvedSample(matched, decoys, unresolved);
  }
}
