package dev.custos.server;

import dev.custos.access.AccessBroker;
import dev.custos.access.AccessEvent;
import dev.custos.access.AccessPolicy;
import dev.custos.access.Action;
import dev.custos.access.CachedCaseStore;
import dev.custos.access.CachedTicketStore;
import dev.custos.access.ChangeFeed;
import dev.custos.access.Guardrails;
import dev.custos.access.Ingest;
import dev.custos.access.Tickets;
import dev.custos.ledger.Ledger;
import dev.custos.store.BreakGlassTable;
import dev.custos.store.CaseTable;
import dev.custos.store.QuotaTable;
import dev.custos.store.ReasonTable;
import dev.custos.store.TicketTable;
import dev.custos.store.VaultTable;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.KekVersion;
import dev.custos.vault.Vault;
import dev.custos.vault.VaultKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer-data services of one installation, wired over its database, keys and ledger: the
 * vault, the tickets, the access policy with its guardrails, and the broker that joins them. Policy
 * lives in {@code core}; this class only connects it, and carries the in-process event bus on which
 * every access is published after its ledger entry is durable.
 */
final class CustomerAccess {
  /** How long a request waits for its ledger entry before it is refused with 503. */
  static final Duration LEDGER_BOUND = Duration.ofSeconds(2);
  /**
   * The longest a ticket, a case or a customer's stored record read here may be reused. Changes made
   * through this instance are seen at once (the caches are dropped on write); changes made by another
   * instance sharing the database when its change-feed message arrives (milliseconds), or at the
   * latest after this.
   */
  static final Duration READ_CACHE_TTL = Duration.ofSeconds(30);
  private static final Logger securityLog = LoggerFactory.getLogger("custos.security");

  final FieldCatalogue catalogue;
  final Vault vault;
  final Tickets tickets;
  /** The tickets as stored (the console's queue of a person's open tickets). */
  final dev.custos.access.TicketStore ticketStore;
  final AccessPolicy policy;
  final AccessBroker broker;
  final Ingest ingest;
  final dev.custos.access.CaseDesk cases;
  final dev.custos.access.BreakGlassReviews breakGlassReviews;
  /** The ledger with the bound every request waits at most. */
  final TimedLedger ledger;
  private final List<Consumer<AccessEvent>> subscribers = new CopyOnWriteArrayList<>();

  /**
   * @param keks the primary key-encryption key first, then older versions still needed to unwrap
   * @param settings the configured catalogue, policy settings and quotas
   * @param changes how instances sharing the database tell each other what their read caches must drop
   */
  CustomerAccess(DataSource db, List<KekVersion> keks, byte[] blindIndexKey, AccessSettings settings, Ledger ledger,
      MeterRegistry meters, ChangeFeed changes, InstantSource clock, SecureRandom random) {
    this.catalogue = settings.catalogue();
    this.vault = new Vault(new VaultTable(db), catalogue, VaultKeys.of(keks, blindIndexKey), ledger::durableSize, clock,
        random, READ_CACHE_TTL, changes);
    // One cached store per kind, shared by the writers and the broker, so a write here ends stale reads here.
    CachedTicketStore ticketStore = new CachedTicketStore(new TicketTable(db), READ_CACHE_TTL, clock, changes);
    CachedCaseStore caseStore = new CachedCaseStore(new CaseTable(db), READ_CACHE_TTL, clock, changes);
    this.tickets = new Tickets(ticketStore);
    this.ticketStore = ticketStore;
    this.policy = new AccessPolicy(catalogue, settings.policy());
    this.ledger = new TimedLedger(ledger, LEDGER_BOUND);
    this.ingest = new Ingest(vault, this.ledger, clock);
    this.broker = new AccessBroker(policy, new Guardrails(new QuotaTable(db), settings.quotas()), vault,
        ticketStore, caseStore, new BreakGlassTable(db), new ReasonTable(db), this.ledger, this::publish,
        clock);
    this.cases = new dev.custos.access.CaseDesk(caseStore, vault::commitment, this.ledger, clock);
    this.breakGlassReviews = new dev.custos.access.BreakGlassReviews(new BreakGlassTable(db), this.ledger, clock);
    Counter breakGlass = Counter.builder("custos.security.alerts").description("Security alerts raised")
        .tag("kind", "break-glass").register(meters);
    subscribe(event -> {
      if (event.action() == Action.BREAK_GLASS && "permit".equals(event.decision())) {
        breakGlass.increment();
        securityLog.warn("SECURITY ALERT break-glass: staff {} opened a customer without ticket (ledger index {}); "
            + "queued for review", event.staff(), event.ledgerIndex());
      }
    });
  }

  /** Adds a subscriber of the access bus; it runs on the request's thread and must not block. */
  void subscribe(Consumer<AccessEvent> subscriber) {
    subscribers.add(subscriber);
  }

  private void publish(AccessEvent event) {
    for (Consumer<AccessEvent> s : subscribers) {
      try {
        s.accept(event);
      } catch (RuntimeException e) {
        securityLog.error("an access-event subscriber failed: {}", e.toString());
      }
    }
  }
}
