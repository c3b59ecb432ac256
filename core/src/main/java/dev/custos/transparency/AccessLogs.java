package dev.custos.transparency;

import dev.custos.access.AccessLedger;
import dev.custos.access.CanonicalJson;
import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.incident.Access;
import dev.custos.incident.AccessIndex;
import dev.custos.ledger.ConsistencyProof;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.ledger.SignedCheckpoint;
import dev.custos.vault.Commitment;
import dev.custos.vault.CommitmentSalt;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds a customer's access log (see {@link AccessLog}) and records each reading in the ledger as a
 * {@code custos.transparency/v1} entry, before the log is handed out.
 *
 * <p>Which entries: every {@code custos.access/v1} entry that names the customer's commitment and
 * is covered by the latest signed checkpoint — permitted accesses through the {@link AccessIndex}
 * contract, refused attempts through the {@link AttemptIndex}. Entries appended after that
 * checkpoint appear at the next reading (a second or so later, with the default publish interval).
 */
public final class AccessLogs {
  /** The entry kind that records a reading. */
  public static final String KIND = "custos.transparency/v1";

  /** Brings the indexes up to a ledger size before they are asked (the in-memory feed, or the on-disk index). */
  @FunctionalInterface
  public interface Coverage {
    void upTo(long size) throws LedgerException;
  }

  /** The outcome of one reading. */
  public sealed interface Outcome {}

  /** The log, its reading recorded. */
  public record Found(AccessLog log) implements Outcome {}

  /** The vault holds no such customer (never known, or erased: their entries are unlinkable now). */
  public record UnknownCustomer() implements Outcome {}

  /** {@code since} is not a size the customer can have seen: 1 to the checkpoint's size. */
  public record BadSince(long treeSize) implements Outcome {}

  /** The ledger could not give proofs or record the reading: nothing is handed out. */
  public record LedgerUnavailable(String why) implements Outcome {}

  private final Ledger ledger;
  private final AccessIndex index;
  private final AttemptIndex attempts;
  private final Coverage coverage;
  private final Function<CustomerId, Optional<CommitmentSalt>> salts;
  private final StaffPseudonyms pseudonyms;
  private final Function<StaffId, Optional<String>> teams;
  private final AccessLedger recorder;
  private final InstantSource clock;

  public AccessLogs(Ledger ledger, AccessIndex index, AttemptIndex attempts, Coverage coverage,
      Function<CustomerId, Optional<CommitmentSalt>> salts, StaffPseudonyms pseudonyms,
      Function<StaffId, Optional<String>> teams, AccessLedger recorder, InstantSource clock) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.index = Objects.requireNonNull(index, "index");
    this.attempts = Objects.requireNonNull(attempts, "attempts");
    this.coverage = Objects.requireNonNull(coverage, "coverage");
    this.salts = Objects.requireNonNull(salts, "salts");
    this.pseudonyms = Objects.requireNonNull(pseudonyms, "pseudonyms");
    this.teams = Objects.requireNonNull(teams, "teams");
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The log of {@code customer} against the latest signed checkpoint, with a consistency proof from
   * {@code since} when given.
   */
  public Outcome read(CustomerId customer, Optional<Long> since) {
    Optional<CommitmentSalt> salt = salts.apply(customer);
    if (salt.isEmpty()) {
      return new UnknownCustomer();
    }
    Commitment commitment = Commitment.of(salt.get(), customer);
    SignedCheckpoint checkpoint = ledger.latestCheckpoint();
    long size = checkpoint.checkpoint().size();
    if (since.isPresent() && (since.get() < 1 || since.get() > size)) {
      return new BadSince(size);
    }
    try {
      coverage.upTo(size);
      List<AccessLogItem> items = new ArrayList<>();
      Map<StaffId, Optional<String>> teamOf = new LinkedHashMap<>();
      List<Access> accesses = new ArrayList<>();
      index.byCustomer(commitment, accesses::add);
      for (Access a : accesses) {
        if (a.ledgerIndex() < size) {
          items.add(new AccessLogItem(a.ledgerIndex(), a.at(), pseudonyms.of(a.staff()),
              teamOf.computeIfAbsent(a.staff(), teams), a.action().wireName(), a.purposeType(), a.purposeId(),
              a.fields(), true, Optional.empty(), ledger.entry(a.ledgerIndex()), ledger.inclusionProof(a.ledgerIndex(), size)));
        }
      }
      List<Attempt> refused = new ArrayList<>();
      attempts.byCustomer(commitment, refused::add);
      for (Attempt t : refused) {
        if (t.ledgerIndex() < size) {
          items.add(new AccessLogItem(t.ledgerIndex(), t.at(), pseudonyms.of(t.staff()),
              teamOf.computeIfAbsent(t.staff(), teams), t.action().wireName(), t.purposeType(), t.purposeId(),
              Map.of(), false, Optional.of(t.reason()), ledger.entry(t.ledgerIndex()),
              ledger.inclusionProof(t.ledgerIndex(), size)));
        }
      }
      items.sort(Comparator.comparingLong(AccessLogItem::ledgerIndex));
      Optional<ConsistencyProof> consistency = since.isEmpty() ? Optional.empty()
          : Optional.of(ledger.consistencyProof(since.get(), size));
      long indexed = Math.min(index.coveredSize(), size);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("kind", KIND);
      entry.put("at", clock.instant().toString());
      entry.put("customer", commitment.hex());
      entry.put("checkpoint", size);
      entry.put("since", since.orElse(null));
      entry.put("items", items.size());
      long readIndex = recorder.append(CanonicalJson.encode(entry)).index();
      return new Found(new AccessLog(customer, commitment, salt.get(), checkpoint, ledger.verifierKey(), consistency,
          items, indexed, readIndex));
    } catch (LedgerException e) {
      return new LedgerUnavailable("ledger: " + e.getMessage());
    } catch (AccessLedger.Unavailable e) {
      return new LedgerUnavailable("the reading could not be recorded: " + e.getMessage());
    }
  }
}
