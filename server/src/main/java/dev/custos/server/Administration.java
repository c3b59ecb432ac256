package dev.custos.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custos.access.AccessLedger;
import dev.custos.access.CustomerId;
import dev.custos.access.Ingest;
import dev.custos.identity.IssuedToken;
import dev.custos.identity.Scope;
import dev.custos.identity.ServiceToken;
import dev.custos.ledger.LedgerException;
import dev.custos.ledger.Receipt;
import dev.custos.vault.ErasedCustomerException;
import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.FieldValue;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * An administrative session on an installation while no server runs on it (the data directory is
 * locked for its lifetime): what {@code custos token}, {@code custos staff} and {@code custos import} use. Every change is recorded in the ledger
 * with the operator who made it before the call returns.
 */
public final class Administration implements AutoCloseable {
  private final Foundation foundation;

  private Administration(Foundation foundation) {
    this.foundation = foundation;
  }

  /**
   * Opens the installation {@code config} describes.
   *
   * @throws StartupException when a server holds the data directory, or the database or ledger cannot be opened
   */
  public static Administration open(CustosConfig config, InstantSource clock, RandomGenerator random)
      throws StartupException {
    return new Administration(Foundation.open(config, clock, random, Foundation.Purpose.ADMINISTER, Custos.Progress.NONE));
  }

  /** The opened installation (tests in this package look at its stores). */
  Foundation foundation() {
    return foundation;
  }

  /**
   * The scope of {@code query} from the installation's access index, caught up with the ledger first;
   * {@code render} gets it (with the customers its commitments resolve to) only after the read is
   * recorded: a {@code custos.incident/v1} {@code scope.read} entry by {@code cli:<operator>}.
   *
   * @throws LedgerException when the ledger's tiles cannot be read or the entry cannot be made durable
   */
  public dev.custos.incident.Scope scope(ScopeQuery query, String operator, java.util.function.BiConsumer<
      dev.custos.incident.Scope, Map<dev.custos.vault.Commitment, CustomerId>> render) throws LedgerException {
    Objects.requireNonNull(operator, "operator");
    AccessIndexing.ScopeReport report = foundation.indexing.scope(query.staff(), query.from(), query.to());
    foundation.ledger.append(ScopeRoutes.readEntry("cli:" + operator, query, report, foundation.clock));
    render.accept(report.scope(), report.customers());
    return report.scope();
  }

  /** A token issued and recorded: the token (its text shown once) and the ledger receipt of the issue. */
  public record Issued(IssuedToken token, Receipt receipt) {}

  /**
   * Issues a service token and records the issue (never the text) in the ledger. If the record
   * cannot be made durable, the token is revoked again before this throws.
   */
  public Issued issueToken(String name, Set<Scope> scopes, Optional<Duration> lifetime, String operator)
      throws LedgerException {
    IssuedToken issued = foundation.serviceTokens.issue(name, scopes, lifetime);
    ServiceToken t = issued.token();
    ObjectNode entry = adminEntry("service-token.issued", operator);
    entry.put("token", t.id());
    entry.put("name", t.name());
    entry.putPOJO("scopes", t.scopes().stream().map(Scope::wireName).sorted().toList());
    t.expiresAt().ifPresent(e -> entry.put("expiresAt", e.toString()));
    try {
      return new Issued(issued, append(entry));
    } catch (LedgerException | RuntimeException e) {
      foundation.serviceTokens.revoke(t.id());
      throw e;
    }
  }

  /**
   * Revokes a service token and records it in the ledger.
   *
   * @return the receipt, or empty when there is no such active token (nothing is recorded)
   */
  public Optional<Receipt> revokeToken(String id, String operator) throws LedgerException {
    if (!foundation.serviceTokens.revoke(id)) {
      return Optional.empty();
    }
    ObjectNode entry = adminEntry("service-token.revoked", operator);
    entry.put("token", id);
    return Optional.of(append(entry));
  }

  /** Staff administration with the console's rules; each change is recorded in the ledger. */
  /**
   * The installation's ticket-webhook signer (its secret is the base64 line of
   * {@code keys/ticket-webhook.key}): for tools that act as the ticket system, such as the demo.
   */
  public WebhookSignature ticketWebhook() {
    return foundation.ticketWebhook;
  }

  /**
   * The ticket webhook's shared secret as the ticket system is configured with it (the key file's
   * base64 line): for a ticket system played from another process ({@code custos simulate --prepare}
   * writes it into the desk file). As secret as the key file.
   */
  public String ticketWebhookSecret() throws StartupException {
    byte[] key = DevKeys.read(foundation.config.keysDir(), DevKeys.Kind.TICKET_WEBHOOK);
    try {
      return java.util.Base64.getEncoder().encodeToString(key);
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
  }

  public dev.custos.identity.StaffAdmin staff() {
    return foundation.identity.admin;
  }

  /** The staff accounts. */
  public dev.custos.identity.StaffDirectory staffDirectory() {
    return foundation.identity.directory;
  }

  /**
   * The installation's decoy customers as the decoy key generates them, each with the staff who may
   * meet it in search results: security's offline view, for whoever holds the keys directory (the
   * simulator's broker mode plays an insider who has found one of theirs).
   */
  public dev.custos.decoy.Decoys decoys() throws StartupException {
    byte[] key = DevKeys.read(foundation.config.keysDir(), DevKeys.Kind.DECOY);
    try {
      return DecoyDesk.generate(key, foundation.customers.catalogue);
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
  }

  /** The fields the vault stores: what an import may name. */
  public FieldCatalogue catalogue() {
    return foundation.customers.catalogue;
  }

  /**
   * Puts a batch of customer records into the vault in one transaction and records it as one
   * {@value Ingest#KIND} ledger entry with source {@code import}, by {@code cli:<operator>}: what
   * {@code custos import} calls for each batch of a file. Returns once the entry is durable.
   *
   * @param batch 1 to {@value Ingest#MAX_BATCH} customers
   * @throws IllegalArgumentException naming the customer and field of an invalid record; nothing written
   * @throws ErasedCustomerException when a customer of the batch was erased; nothing written
   * @throws AccessLedger.Unavailable when the batch was written but its entry could not be made durable
   */
  public Ingest.Result importBatch(Map<CustomerId, Map<Field, FieldValue>> batch, String operator)
      throws AccessLedger.Unavailable {
    Objects.requireNonNull(operator, "operator");
    Ingest.Result result = foundation.customers.ingest.put("import", "cli:" + operator, batch);
    // Detection's high-value flag, as the server sets it for records that arrive over the API.
    dev.custos.store.DetectionFacts facts = new dev.custos.store.DetectionFacts(foundation.database.dataSource());
    java.time.Instant now = foundation.clock.instant();
    batch.forEach((customer, fields) -> HighValue.of(fields).ifPresent(high -> facts.setHighValue(customer, high, now)));
    return result;
  }

  /** The vault's key-encryption keys in force (primary first) and how the live customers' keys stand now. */
  public record KeyStatus(List<Integer> kekIds, dev.custos.vault.KeyCensus census) {
    public KeyStatus {
      kekIds = List.copyOf(kekIds);
      Objects.requireNonNull(census, "census");
    }
  }

  /** The key-encryption keys in force and how many customers' keysets each wraps. */
  public KeyStatus keyStatus() {
    dev.custos.vault.Vault vault = foundation.customers.vault;
    return new KeyStatus(vault.kekIds(), vault.census(foundation.clock.instant()));
  }

  /**
   * Rewraps, batch after batch, every keyset wrapped by an older KEK under the primary; calls
   * {@code progress} after each batch with the totals so far. Stops when a batch completes no customer.
   */
  public dev.custos.vault.RotationReport rewrapKeys(int batchSize,
      java.util.function.Consumer<dev.custos.vault.RotationReport> progress) {
    return batches(() -> foundation.customers.vault.rewrapKeys(batchSize), progress);
  }

  /**
   * Gives every customer whose data key was made before now a new data key and re-encrypts their
   * fields under it, batch after batch; {@code progress} sees the totals after each batch.
   */
  public dev.custos.vault.RotationReport rotateDataKeys(int batchSize,
      java.util.function.Consumer<dev.custos.vault.RotationReport> progress) {
    java.time.Instant cutoff = foundation.clock.instant();
    return batches(() -> foundation.customers.vault.rotateDataKeys(cutoff, batchSize), progress);
  }

  private static dev.custos.vault.RotationReport batches(java.util.function.Supplier<dev.custos.vault.RotationReport> batch,
      java.util.function.Consumer<dev.custos.vault.RotationReport> progress) {
    dev.custos.vault.RotationReport total = dev.custos.vault.RotationReport.NONE;
    while (true) {
      dev.custos.vault.RotationReport r = batch.get();
      total = total.plus(r);
      progress.accept(total);
      if (!r.more() || r.customers() == 0) {
        return total;
      }
    }
  }

  /**
   * Makes a new primary key-encryption key in {@code <data>/keys} (mode 0600), keeping the current
   * one as {@code vault-kek.<id>.key}, while no server holds the data directory. The next start uses
   * the new KEK and rewraps every keyset in the background.
   *
   * @return the ids: the old primary's and the new one's
   * @throws StartupException when a server holds the data directory or the key files are not right
   */
  public static int[] rotateKek(CustosConfig config) throws StartupException {
    try (DataDirectory dir = DataDirectory.lock(config.data())) {
      int old = VaultKekFiles.load(config.keysDir(), config.vault().previousKeks()).get(0).id();
      int created = VaultKekFiles.rotate(config.keysDir(), new java.security.SecureRandom());
      return new int[] {old, created};
    }
  }

  /** Every service token, newest first, without secrets. */
  public List<ServiceToken> tokens() {
    return foundation.serviceTokens.list();
  }

  private ObjectNode adminEntry(String action, String operator) {
    Objects.requireNonNull(operator, "operator");
    ObjectNode entry = Json.MAPPER.createObjectNode();
    entry.put("kind", "custos.admin/v1");
    entry.put("action", action);
    entry.put("operator", operator);
    entry.put("at", foundation.clock.instant().toString());
    return entry;
  }

  private Receipt append(ObjectNode entry) throws LedgerException {
    try {
      return foundation.ledger.append(Json.MAPPER.writeValueAsBytes(entry));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an administrative entry could not be written as JSON", e);
    }
  }

  /**
   * A leak attribution, as JSON and as text for people.
   *
   * @param json the document {@code POST /v1/incidents/{id}/attribute} answers
   * @param text the same, in a few lines
   */
  public record Attributed(String json, String text) {}

  /**
   * Attributes a leaked sample offline, over an access index read from the ledger, and records a
   * {@code custos.incident/v1} entry by {@code operator}. The decoy list is sealed for the running
   * server's security analysts, so offline a decoy in the sample counts as an ordinary customer.
   *
   * @throws IllegalArgumentException naming the field ({@code sample} with its line, {@code watermarks},
   *     {@code from}, {@code to}, {@code limit})
   */
  public Attributed attribute(String incident, String operator, String sample, java.util.List<String> watermarks,
      Optional<java.time.Instant> from, Optional<java.time.Instant> to, int limit) throws Exception {
    foundation.ledger.publish();
    LiveAccessIndex index = new LiveAccessIndex(foundation.ledger, foundation.indexing);
    dev.custos.incident.IncidentReads names = new dev.custos.incident.IncidentReads(foundation.customers.vault,
        foundation.customers.ledger, foundation.clock, java.util.Set.of(LeakAttribution.NAME));
    LeakAttribution attribution = new LeakAttribution(() -> index, foundation.customers.vault, Optional.empty(),
        foundation.customers.ledger, foundation.clock,
        Optional.of(new LeakAttribution.Names(foundation.indexing.directory, names)));
    try {
      java.util.Map<String, Object> d = attribution.attribute(incident, operator,
          new LeakAttribution.Request(sample, watermarks, from, to, limit));
      foundation.ledger.publish();
      return new Attributed(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(d), LeakAttribution.text(d));
    } catch (LeakAttribution.BadInput e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The text for people of an attribution answered as JSON by a server ({@code custos attribute --url}). */
  @SuppressWarnings("unchecked")
  public static String attributionText(String json) throws java.io.IOException {
    return LeakAttribution.text(Json.MAPPER.readValue(json, java.util.Map.class));
  }

  /** Publishes a checkpoint covering the changes, closes the ledger and database and releases the data directory. */
  @Override
  public void close() {
    foundation.close();
  }
}
