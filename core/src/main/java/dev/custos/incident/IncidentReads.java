package dev.custos.incident;

import dev.custos.access.AccessLedger;
import dev.custos.access.CanonicalJson;
import dev.custos.access.CustomerId;
import dev.custos.ledger.Receipt;
import dev.custos.vault.Commitment;
import dev.custos.vault.Disclosed;
import dev.custos.vault.Field;
import dev.custos.vault.FieldValue;
import dev.custos.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The system's own reads of customer data for an incident — the nationality that places a customer
 * in a jurisdiction for the regulator, the e-mail address and language a notification goes to — each
 * batch recorded as a {@value IncidentDesk#KIND} {@code customers.read} entry before anything is
 * decrypted, exactly as a member of staff's read is.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Only the fields named at construction can be read (not, say, a government id).</li>
 *   <li>Nothing is decrypted unless the entry naming the incident, the purpose, the fields and the
 *       customers (by commitment for one customer, by count and digest of the sorted commitments for
 *       a batch) is durable; if the ledger does not take it, nothing is read.</li>
 *   <li>Values leave as plain strings to the caller, which MUST NOT log them.</li>
 * </ul>
 *
 * <p>This is the second class (after the access broker) allowed to open the vault; the rule in
 * {@code CoreModuleRulesTest} names both.
 */
public final class IncidentReads {
  /** Customers per entry: a scope of 70,000 customers is 70 entries, not one huge one. */
  public static final int BATCH = 1000;
  private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

  /** What came of a read. */
  public sealed interface Outcome {
    /** The values read, per customer found (erased or unknown customers are absent), and the entries. */
    record Read(Map<CustomerId, Map<String, String>> values, List<Long> ledgerIndexes) implements Outcome {}

    /** The ledger did not take an entry: nothing (more) was read. */
    record Unrecorded(String why) implements Outcome {}
  }

  private final Vault vault;
  private final AccessLedger ledger;
  private final InstantSource clock;
  private final Set<Field> readable;

  /**
   * @param readable the only fields this reader may open (those the vault's catalogue lacks are ignored)
   */
  public IncidentReads(Vault vault, AccessLedger ledger, InstantSource clock, Set<Field> readable) {
    this.vault = Objects.requireNonNull(vault, "vault");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.readable = Set.copyOf(readable);
  }

  /** Whether the vault's catalogue has {@code field} and this reader may open it. */
  public boolean canRead(Field field) {
    return readable.contains(field) && vault.catalogue().contains(field);
  }

  /**
   * Reads {@code fields} (text values only) of {@code customers} for {@code incident}, on behalf of
   * {@code by}, for {@code purpose} ({@code scope}, {@code notification} or {@code attribution}).
   *
   * @throws IllegalArgumentException when a field is not one this reader may open
   */
  public Outcome read(IncidentId incident, String by, String purpose, Collection<CustomerId> customers,
      Set<Field> fields) {
    return read(incident.value(), by, purpose, customers, fields);
  }

  /**
   * As {@link #read(IncidentId, String, String, Collection, Set)} for a question asked under an incident
   * label that is not (yet) an incident of the store: leak attribution takes its incident as given
   * ({@code -} outside any incident), and records that label in the entry as it records it in its own
   * {@code attributed} entry. Purpose {@code attribution}.
   *
   * @throws IllegalArgumentException when a field is not one this reader may open, or the label is not
   *     {@code -} or 1 to 64 of {@code A-Za-z0-9._:-}
   */
  public Outcome read(String incident, String by, String purpose, Collection<CustomerId> customers, Set<Field> fields) {
    if (!incident.equals("-") && !LABEL.matcher(incident).matches()) {
      throw new IllegalArgumentException("an incident label is - or 1 to 64 of A-Za-z0-9._:-");
    }
    Set<Field> wanted = new java.util.TreeSet<>();
    for (Field f : fields) {
      if (!readable.contains(f)) {
        throw new IllegalArgumentException("field " + f.name() + " is not readable for an incident");
      }
      if (vault.catalogue().contains(f)) {
        wanted.add(f);
      }
    }
    Map<CustomerId, Map<String, String>> values = new LinkedHashMap<>();
    List<Long> indexes = new ArrayList<>();
    List<CustomerId> all = List.copyOf(new java.util.LinkedHashSet<>(customers));
    if (wanted.isEmpty()) {
      return new Outcome.Read(values, indexes);
    }
    for (int start = 0; start < all.size(); start += BATCH) {
      Map<CustomerId, Vault.Prepared> prepared = new LinkedHashMap<>();
      for (CustomerId c : all.subList(start, Math.min(all.size(), start + BATCH))) {
        vault.prepare(c, wanted).ifPresent(p -> prepared.put(c, p));
      }
      if (prepared.isEmpty()) {
        continue;
      }
      Receipt receipt;
      try {
        receipt = ledger.append(CanonicalJson.encode(entry(incident, by, purpose, wanted, prepared)));
      } catch (AccessLedger.Unavailable e) {
        return new Outcome.Unrecorded(e.getMessage());
      }
      indexes.add(receipt.index());
      prepared.forEach((c, p) -> {
        Disclosed d = p.open(receipt);
        Map<String, String> texts = new TreeMap<>();
        d.values().forEach((f, v) -> {
          if (v instanceof FieldValue.Text t) {
            texts.put(f.name(), t.value());
          }
        });
        values.put(c, texts);
      });
    }
    return new Outcome.Read(values, indexes);
  }

  private Map<String, Object> entry(String incident, String by, String purpose, Set<Field> fields,
      Map<CustomerId, Vault.Prepared> prepared) {
    Map<String, Object> e = new TreeMap<>();
    e.put("kind", IncidentDesk.KIND);
    e.put("event", "customers.read");
    e.put("incident", incident);
    e.put("by", by);
    e.put("at", clock.instant().toString());
    e.put("purpose", purpose);
    e.put("fields", fields.stream().map(Field::name).sorted().toList());
    List<String> commitments = prepared.values().stream().map(Vault.Prepared::commitment).map(Commitment::hex)
        .sorted().toList();
    e.put("customers", (long) commitments.size());
    if (commitments.size() == 1) {
      e.put("customer", commitments.get(0));
    } else {
      e.put("customers_sha256", digest(commitments));
    }
    return e;
  }

  /** SHA-256 over the sorted commitments' hex, each followed by a newline: checkable against the scope. */
  static String digest(List<String> sortedHex) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String h : sortedHex) {
        sha.update((h + "\n").getBytes(StandardCharsets.US_ASCII));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }
}
