package dev.custos.access;

import java.util.Collection;
import java.util.function.Consumer;

/**
 * How instances sharing one database tell each other that something they may hold in a read cache
 * changed (PostgreSQL LISTEN/NOTIFY in production: {@code PgChangeFeed} in {@code store}).
 *
 * <p>The writer publishes after its change committed; every instance, the writer included, hears it
 * within milliseconds and drops the keys. While an instance is not hearing the feed ({@link #live()}
 * false: the listening connection is down) its caches serve nothing; when it hears it again the
 * {@link #epoch()} moves on and every listener is told {@link #ALL}, because changes may have been
 * missed meanwhile. A change whose publication failed is bounded by the caches' TTL.
 */
public interface ChangeFeed {
  /** The key that means "anything of this topic may have changed". */
  String ALL = "*";

  /** What changed. */
  enum Topic {
    /** A staff account or a session (any change ends every remembered session: {@code RecentSessions}). */
    STAFF("staff"),
    TICKET("ticket"),
    CASE("case"),
    /** A customer's vault record (written, erased, rotated). */
    CUSTOMER("customer");

    private final String wireName;

    Topic(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** Tells every instance that {@code keys} of {@code topic} changed; call after the change committed. Never throws. */
  void publish(Topic topic, Collection<String> keys);

  /** Whether this instance hears other instances' changes now; caches MUST NOT serve while false. */
  boolean live();

  /** Moves on whenever changes may have been missed; a load that spans a move MUST NOT be kept. */
  long epoch();

  /** Calls {@code listener} with each changed key of {@code topic} (or {@link #ALL}), on the feed's thread. */
  void subscribe(Topic topic, Consumer<String> listener);

  /** An instance alone on its database (the embedded default): nothing to tell, nothing to hear, always live. */
  static ChangeFeed alone() {
    return Alone.INSTANCE;
  }

  /** See {@link #alone()}. */
  final class Alone implements ChangeFeed {
    static final Alone INSTANCE = new Alone();

    private Alone() {}

    @Override
    public void publish(Topic topic, Collection<String> keys) {}

    @Override
    public boolean live() {
      return true;
    }

    @Override
    public long epoch() {
      return 0;
    }

    @Override
    public void subscribe(Topic topic, Consumer<String> listener) {}
  }
}
