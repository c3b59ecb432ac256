package dev.custos.server;

import dev.custos.access.AccessLedger;
import dev.custos.incident.AccessIndex;
import dev.custos.incident.DataCategory;
import dev.custos.incident.Incident;
import dev.custos.incident.IncidentDesk;
import dev.custos.incident.IncidentReads;
import dev.custos.incident.Notification;
import dev.custos.incident.NotificationState;
import dev.custos.incident.NotificationStore;
import dev.custos.incident.NotificationTemplate;
import dev.custos.vault.Field;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the customer notifications of incidents, in the background, at most once per customer per
 * incident even across restarts and instances.
 *
 * <p>Each notification goes: claimed ({@code sending}, one row at a time, by one sender among all
 * instances) → the e-mail address (and nationality, language) read from the vault under a
 * {@code customers.read} entry → rendered in the customer's language → sent over SMTP → marked
 * {@code sent} → a {@code notification.sent} entry. A failure is retried with exponential back-off
 * up to {@code notify.attempts}, then {@code failed}. If the process dies between the SMTP server's
 * acceptance and the mark, the claim is left; once older than {@link #LEASE} (far beyond the longest
 * send) it becomes {@code uncertain} and is never sent again automatically. At most once, then, and
 * every possible gap counted and reported rather than filled with a possible duplicate.
 *
 * <p>Up to {@link #SENDERS} notifications are handled at once (an SMTP exchange is mostly waiting).
 * A notification is claimed only when a sender is free to take it at once, so no claim waits in a
 * queue towards its lease; the claim itself stays the database's one-row-one-sender guarantee, so
 * concurrency changes how fast, never how often.
 */
final class Notifier implements AutoCloseable {
  static final String ACTOR = "custos.notifier";
  /** How long a claim may stay unmarked before it counts as a crash: far beyond {@link SmtpMailer#LONGEST_SEND}. */
  static final Duration LEASE = Duration.ofMinutes(5);
  /** Notifications handled at once by one instance. */
  static final int SENDERS = 4;
  private static final Field EMAIL = new Field("email");
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);
  private static final Logger securityLog = LoggerFactory.getLogger("custos.security");

  private final NotificationStore store;
  private final IncidentDesk desk;
  private final IncidentReads reads;
  private final AccessIndex index;
  private final Mailer mailer;
  private final NotificationTemplates templates;
  private final NotificationSettings settings;
  private final Backoff backoff;
  private final InstantSource clock;
  private final RandomGenerator random;
  private final MeterRegistry meters;
  private final Field languageField;
  private final ScheduledExecutorService timer;
  /** Runs the sends; bounded by the permits of {@link #runOnce}, not by its threads. */
  private final java.util.concurrent.ExecutorService senders;
  private volatile boolean closing;

  Notifier(NotificationStore store, IncidentDesk desk, IncidentReads reads, AccessIndex index, Mailer mailer,
      NotificationTemplates templates, NotificationSettings settings, InstantSource clock, RandomGenerator random,
      MeterRegistry meters) {
    this.store = store;
    this.desk = desk;
    this.reads = reads;
    this.index = index;
    this.mailer = mailer;
    this.templates = templates;
    this.settings = settings;
    this.backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), settings.attempts());
    this.clock = clock;
    this.random = random;
    this.meters = meters;
    this.languageField = new Field(settings.languageField());
    this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("custos-notifier").factory());
    this.senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("custos-notifier-send-", 0).factory());
  }

  /** The fields a notification reads: the address, and what places the customer in a language. */
  static Set<Field> readable(NotificationSettings settings) {
    return Set.of(EMAIL, IncidentScopes.NATIONALITY, new Field(settings.languageField()));
  }

  /** Starts the background sender: a pass every second, and at once when woken. */
  void start() {
    timer.scheduleWithFixedDelay(this::pass, 0, 1, TimeUnit.SECONDS);
  }

  /** Runs a pass now (a notification run was started). */
  void wake() {
    timer.execute(this::pass);
  }

  private void pass() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      log.error("notification pass failed: {}", Custos.rootMessage(e));
    }
  }

  /** Expires stale claims, then sends every notification due; how many were handled. Package-private for tests. */
  int runOnce() {
    Instant now = clock.instant();
    int expired = store.expireClaims(now.minus(LEASE), now);
    if (expired > 0) {
      securityLog.error("SECURITY {} notification(s) were claimed but never marked (a crash between sending and "
          + "marking?): now uncertain, not resent; see GET /v1/incidents/{id}/notifications", expired);
    }
    int handled = 0;
    java.util.concurrent.Semaphore free = new java.util.concurrent.Semaphore(SENDERS);
    try {
      while (!closing) {
        try {
          free.acquire();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        List<Notification> claimed;
        try {
          claimed = store.claim(clock.instant(), 1);
        } catch (RuntimeException e) {
          free.release();
          throw e;
        }
        if (claimed.isEmpty()) {
          free.release();
          break;
        }
        Notification n = claimed.get(0);
        try {
          senders.execute(() -> {
            try {
              handle(n);
            } catch (RuntimeException e) {
              log.error("notification of incident {} not handled: {}", n.incident(), Custos.rootMessage(e));
            } finally {
              free.release();
            }
          });
        } catch (java.util.concurrent.RejectedExecutionException e) {
          free.release();
          // Closing: the claim stays and turns uncertain after the lease, never sent twice.
          log.warn("notification of incident {} claimed while closing; left for the lease", n.incident());
          break;
        }
        handled++;
      }
    } finally {
      // The pass ends when its sends have: close() then never cuts one off between acceptance and mark.
      free.acquireUninterruptibly(SENDERS);
    }
    return handled;
  }

  /** What is about to be sent, or empty when the notification already ended or was put back. */
  private record Outgoing(String address, NotificationTemplate template, NotificationTemplate.Message message) {}

  private void handle(Notification n) {
    Optional<Outgoing> out;
    try {
      out = prepare(n);
    } catch (RuntimeException e) {
      // Nothing was sent: put it back for a later attempt rather than leave a claim that would turn uncertain.
      log.error("notification of incident {} not prepared: {}", n.incident(), Custos.rootMessage(e));
      retry(n, "internal");
      return;
    }
    if (out.isEmpty()) {
      return;
    }
    send(n, out.get());
  }

  private Optional<Outgoing> prepare(Notification n) {
    Optional<Incident> incident = desk.find(n.incident());
    if (incident.isEmpty()) {
      end(n, NotificationState.FAILED, "no-incident");
      return Optional.empty();
    }
    What what = what(incident.get(), n);
    if (what.categories.isEmpty()) {
      end(n, NotificationState.FAILED, "out-of-scope");
      return Optional.empty();
    }
    Set<Field> fields = new LinkedHashSet<>(List.of(EMAIL, IncidentScopes.NATIONALITY, languageField));
    fields.removeIf(f -> !reads.canRead(f));
    IncidentReads.Outcome o = reads.read(n.incident(), ACTOR, "notification", List.of(n.customerId()), fields);
    if (o instanceof IncidentReads.Outcome.Unrecorded) {
      retry(n, "ledger-unavailable");
      return Optional.empty();
    }
    Map<String, String> values = ((IncidentReads.Outcome.Read) o).values().get(n.customerId());
    if (values == null) {
      end(n, NotificationState.UNREACHABLE, "erased");
      return Optional.empty();
    }
    String address = values.get(EMAIL.name());
    if (address == null || address.isBlank()) {
      end(n, NotificationState.UNREACHABLE, "no-address");
      return Optional.empty();
    }
    NotificationTemplate template = template(values);
    return Optional.of(new Outgoing(address, template,
        template.render(placeholders(template, incident.get(), what))));
  }

  private void send(Notification n, Outgoing out) {
    NotificationTemplate template = out.template();
    NotificationTemplate.Message message = out.message();
    try {
      mailer.send(out.address(), message.subject(), message.body(), messageId(n), clock.instant());
    } catch (Mailer.Failure f) {
      if (f.kind() == Mailer.Failure.Kind.REJECTED) {
        end(n, NotificationState.FAILED, f.reason());
      } else {
        retry(n, f.reason());
      }
      return;
    }
    if (!store.markSent(n.incident(), n.customer(), clock.instant())) {
      securityLog.error("SECURITY the notification of incident {} to customer {} was sent after its claim expired; "
          + "it stays uncertain", n.incident(), n.customer().hex());
    }
    count("sent");
    ledger(n, "notification.sent", Map.of("attempt", (long) n.attempts(), "language", template.language()));
  }

  private void retry(Notification n, String reason) {
    if (n.attempts() >= backoff.attempts()) {
      end(n, NotificationState.FAILED, reason);
      return;
    }
    Instant next = clock.instant().plus(backoff.delay(n.attempts(), random));
    store.markRetry(n.incident(), n.customer(), next, reason, clock.instant());
    count("retry");
  }

  private void end(Notification n, NotificationState state, String reason) {
    store.markEnded(n.incident(), n.customer(), state, reason, clock.instant());
    count(state.wireName());
    ledger(n, "notification." + state.wireName(), Map.of("attempt", (long) n.attempts(), "reason", reason));
  }

  private void ledger(Notification n, String event, Map<String, Object> members) {
    Map<String, Object> m = new TreeMap<>(members);
    m.put("customer", n.customer().hex());
    try {
      desk.entry(ACTOR, n.incident(), event, m);
    } catch (AccessLedger.Unavailable e) {
      securityLog.error("SECURITY the {} entry for incident {} customer {} was not recorded (the table has it): {}",
          event, n.incident(), n.customer().hex(), e.getMessage());
    }
  }

  private void count(String outcome) {
    Counter.builder("custos.notifications").description("Customer notifications by outcome").tag("outcome", outcome)
        .register(meters).increment();
  }

  /** What the incident's suspects saw of this customer in its window. */
  private record What(Set<DataCategory> categories, Set<DataCategory> revealed, Instant first, Instant last) {}

  private What what(Incident incident, Notification n) {
    Set<DataCategory> categories = EnumSet.noneOf(DataCategory.class);
    Set<DataCategory> revealed = EnumSet.noneOf(DataCategory.class);
    Instant[] span = {null, null};
    index.byCustomer(n.customer(), a -> {
      if (!incident.covers(a.staff(), a.at())) {
        return;
      }
      a.fields().forEach((field, mask) -> {
        categories.add(DataCategory.of(field));
        if ("none".equals(mask)) {
          revealed.add(DataCategory.of(field));
        }
      });
      span[0] = span[0] == null || a.at().isBefore(span[0]) ? a.at() : span[0];
      span[1] = span[1] == null || a.at().isAfter(span[1]) ? a.at() : span[1];
    });
    return new What(categories, revealed, span[0], span[1]);
  }

  /** The customer's language field, else their nationality's language, else the default. */
  private NotificationTemplate template(Map<String, String> values) {
    String language = values.get(languageField.name());
    if (language != null) {
      Optional<NotificationTemplate> t = templates.in(language.strip().toLowerCase(java.util.Locale.ROOT));
      if (t.isPresent()) {
        return t.get();
      }
    }
    String nationality = values.get(IncidentScopes.NATIONALITY.name());
    if (nationality != null) {
      String byNationality = settings.languagesByNationality().get(nationality.strip().toUpperCase(java.util.Locale.ROOT));
      if (byNationality != null && templates.in(byNationality).isPresent()) {
        return templates.in(byNationality).get();
      }
    }
    return templates.fallback();
  }

  private Map<String, String> placeholders(NotificationTemplate t, Incident incident, What what) {
    StringBuilder data = new StringBuilder();
    for (DataCategory c : what.categories) {
      data.append(data.isEmpty() ? "" : "\n").append("- ").append(t.label(c));
    }
    StringBuilder revealed = new StringBuilder();
    if (!what.revealed.isEmpty()) {
      revealed.append(t.revealedIntro()).append('\n');
      for (DataCategory c : what.revealed) {
        revealed.append("- ").append(t.label(c)).append('\n');
      }
    }
    return Map.of("exchange", settings.exchangeName(), "incident", incident.id().value(), "first",
        WHEN.format(what.first), "last", WHEN.format(what.last), "data", data.toString(), "revealed",
        revealed.toString());
  }

  /** One Message-ID per incident and customer, so that a duplicate, were there one, is recognisable downstream. */
  private String messageId(Notification n) {
    String domain = settings.from().substring(settings.from().indexOf('@') + 1);
    return "<" + n.incident().value() + "." + n.customer().hex().substring(0, 32) + "@" + domain + ">";
  }

  /** Stops after the notifications in hand (a send is not cut off between acceptance and mark). */
  @Override
  public void close() {
    closing = true;
    timer.shutdown();
    try {
      if (!timer.awaitTermination(SmtpMailer.LONGEST_SEND.toSeconds() + 5, TimeUnit.SECONDS)) {
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      timer.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      senders.shutdown();
    }
  }

}
