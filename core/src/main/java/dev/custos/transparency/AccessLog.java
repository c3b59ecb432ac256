package dev.custos.transparency;

import dev.custos.access.CustomerId;
import dev.custos.ledger.ConsistencyProof;
import dev.custos.ledger.NoteVerifier;
import dev.custos.ledger.SignedCheckpoint;
import dev.custos.vault.Commitment;
import dev.custos.vault.CommitmentSalt;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A customer's access log as of one signed checkpoint: every item's inclusion proof is against
 * {@code checkpoint}, and {@code consistency} (when the customer named the size they saw last)
 * proves that checkpoint extends the one they saw.
 *
 * <p>Not a record: it carries the customer's commitment salt, a secret for them alone; {@link
 * #toString()} leaves it out.
 *
 * @param indexedSize the ledger size the access index covered: entries from there to the
 *     checkpoint's size were not searched (the page says so)
 * @param readIndex the index of the {@code custos.transparency/v1} entry that records this reading
 */
public final class AccessLog {
  private final CustomerId customer;
  private final Commitment commitment;
  private final CommitmentSalt salt;
  private final SignedCheckpoint checkpoint;
  private final NoteVerifier verifierKey;
  private final Optional<ConsistencyProof> consistency;
  private final List<AccessLogItem> items;
  private final long indexedSize;
  private final long readIndex;

  AccessLog(CustomerId customer, Commitment commitment, CommitmentSalt salt, SignedCheckpoint checkpoint,
      NoteVerifier verifierKey, Optional<ConsistencyProof> consistency, List<AccessLogItem> items, long indexedSize,
      long readIndex) {
    this.customer = Objects.requireNonNull(customer, "customer");
    this.commitment = Objects.requireNonNull(commitment, "commitment");
    this.salt = Objects.requireNonNull(salt, "salt");
    this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
    this.verifierKey = Objects.requireNonNull(verifierKey, "verifierKey");
    this.consistency = Objects.requireNonNull(consistency, "consistency");
    this.items = List.copyOf(items);
    this.indexedSize = indexedSize;
    this.readIndex = readIndex;
  }

  public CustomerId customer() {
    return customer;
  }

  public Commitment commitment() {
    return commitment;
  }

  /** The customer's commitment salt: for the customer only; MUST NOT be logged. */
  public CommitmentSalt salt() {
    return salt;
  }

  public SignedCheckpoint checkpoint() {
    return checkpoint;
  }

  public NoteVerifier verifierKey() {
    return verifierKey;
  }

  public Optional<ConsistencyProof> consistency() {
    return consistency;
  }

  public List<AccessLogItem> items() {
    return items;
  }

  public long indexedSize() {
    return indexedSize;
  }

  public long readIndex() {
    return readIndex;
  }

  @Override
  public String toString() {
    return "AccessLog[commitment=" + commitment + ", checkpoint=" + checkpoint.checkpoint().size() + ", items="
        + items.size() + "]";
  }
}
