package dev.custos.store;

import dev.custos.access.ChangeFeed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ChangeFeed} of instances sharing one PostgreSQL: {@code NOTIFY custos_changes} with
 * the payload {@code <topic>:<key>}, heard by a thread of each instance that holds one connection of
 * the pool in {@code LISTEN}.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>{@link #live()} is true only while the listening connection is up and has answered a health
 *       query within the last {@link #HEALTH_EVERY} plus the poll; when it fails the feed is not live
 *       at once, and when it listens again the {@link #epoch()} moves on and every listener is told
 *       {@link ChangeFeed#ALL}, since changes may have been missed in between.</li>
 *   <li>{@link #publish} sends every key in one statement after the caller's change committed;
 *       PostgreSQL delivers notifications only of committed work, in commit order. A failure to
 *       publish is logged and left to the caches' TTL; it never fails the caller's change.</li>
 *   <li>Payloads carry ids only (staff, ticket, case, customer ids), never a customer's data.</li>
 * </ul>
 */
public final class PgChangeFeed implements ChangeFeed, AutoCloseable {
  static final String CHANNEL = "custos_changes";
  /** How long one wait for notifications lasts. */
  static final Duration POLL = Duration.ofMillis(250);
  /** How often the listening connection is checked with a query (a dead TCP peer sends no error). */
  static final Duration HEALTH_EVERY = Duration.ofSeconds(2);
  private static final Duration RETRY = Duration.ofSeconds(1);
  /** PostgreSQL refuses payloads of 8,000 bytes or more. */
  private static final int MAX_PAYLOAD = 7_999;
  private static final Logger log = LoggerFactory.getLogger(PgChangeFeed.class);

  private final DataSource db;
  /** The listening connection's {@code application_name}, unique per feed (for operators and tests). */
  final String applicationName = "custos-change-feed-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
  private final Map<Topic, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();
  private volatile boolean live;
  /** Released the first time the feed listens, for {@link #start} to wait on. */
  private final CountDownLatch firstListen = new CountDownLatch(1);
  private volatile boolean closed;
  private final Thread listener;

  private PgChangeFeed(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
    this.listener = Thread.ofPlatform().name("custos-change-feed").daemon().unstarted(this::listen);
  }

  /**
   * Starts listening on one connection of {@code db}'s pool and waits up to {@code wait} for it to be
   * live; a feed that is not live yet keeps trying in the background (caches serve nothing meanwhile).
   */
  public static PgChangeFeed start(DataSource db, Duration wait) {
    PgChangeFeed feed = new PgChangeFeed(db);
    feed.listener.start();
    try {
      feed.firstListen.await(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return feed;
  }

  @Override
  public void publish(Topic topic, Collection<String> keys) {
    if (keys.isEmpty() || closed) {
      return;
    }
    String[] payloads = keys.stream().map(k -> topic.wireName() + ":" + k)
        .map(p -> p.length() > MAX_PAYLOAD ? topic.wireName() + ":" + ALL : p).distinct().toArray(String[]::new);
    try {
      Sql.statement(db, "publish " + payloads.length + " change(s)", c -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', p) FROM unnest(?::text[]) p")) {
          ps.setArray(1, c.createArrayOf("text", payloads));
          ps.executeQuery().close();
        }
        return null;
      });
    } catch (RuntimeException e) {
      log.warn("could not tell other instances of {} changed {} key(s); their caches drop them within their TTL: {}",
          topic.wireName(), payloads.length, e.getMessage());
    }
  }

  @Override
  public boolean live() {
    return live;
  }

  @Override
  public long epoch() {
    return epoch.get();
  }

  @Override
  public void subscribe(Topic topic, Consumer<String> listener) {
    listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(Objects.requireNonNull(listener, "listener"));
  }

  private void listen() {
    while (!closed) {
      try (Connection c = db.getConnection()) {
        PGConnection pg = c.unwrap(PGConnection.class);
        try (Statement s = c.createStatement()) {
          s.execute("SET application_name = '" + applicationName + "'");
          s.execute("LISTEN " + CHANNEL);
        }
        // From here on nothing is missed; what happened before is dropped everywhere.
        gap();
        live = true;
        firstListen.countDown();
        log.info("hearing other instances' changes on {}", CHANNEL);
        long nextHealth = System.nanoTime() + HEALTH_EVERY.toNanos();
        while (!closed) {
          PGNotification[] received = pg.getNotifications((int) POLL.toMillis());
          if (received != null) {
            for (PGNotification n : received) {
              dispatch(n.getParameter());
            }
          }
          if (System.nanoTime() >= nextHealth) {
            try (Statement s = c.createStatement()) {
              s.execute("SELECT 1");
            }
            nextHealth = System.nanoTime() + HEALTH_EVERY.toNanos();
          }
        }
        live = false;
        try (Statement s = c.createStatement()) {
          // The connection goes back to the pool: leave nothing of the feed on it.
          s.execute("UNLISTEN *");
          s.execute("RESET application_name");
        }
      } catch (SQLException | RuntimeException e) {
        boolean was = live;
        live = false;
        gap();
        if (!closed) {
          if (was) {
            log.warn("stopped hearing other instances' changes ({}); read caches serve nothing until it is back",
                e.getMessage());
          }
          sleep(RETRY);
        }
      }
    }
    live = false;
  }

  /** Changes may have been missed: a new epoch, and every listener drops everything. */
  private void gap() {
    epoch.incrementAndGet();
    listeners.forEach((topic, ls) -> ls.forEach(l -> call(l, ALL)));
  }

  private void dispatch(String payload) {
    int colon = payload == null ? -1 : payload.indexOf(':');
    if (colon < 0) {
      return;
    }
    String topic = payload.substring(0, colon);
    String key = payload.substring(colon + 1);
    for (Topic t : Topic.values()) {
      if (t.wireName().equals(topic)) {
        listeners.getOrDefault(t, List.of()).forEach(l -> call(l, key));
      }
    }
  }

  private static void call(Consumer<String> listener, String key) {
    try {
      listener.accept(key);
    } catch (RuntimeException e) {
      log.error("a change-feed listener failed: {}", e.toString());
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops listening and gives the connection back. */
  @Override
  public void close() {
    closed = true;
    live = false;
    try {
      listener.join(POLL.plus(RETRY).plusSeconds(1)); // it sees "closed" after its current wait
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
