package dev.custos.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadCacheTest {
  private final InProcessChangeFeed feed = new InProcessChangeFeed();
  private final ReadCache<TicketId, String> cache = new ReadCache<>(Duration.ofSeconds(10), 100, InstantSource.system(),
      feed, ChangeFeed.Topic.TICKET, TicketId::value, TicketId::parse);
  private final AtomicInteger loads = new AtomicInteger();
  private final TicketId id = new TicketId("T-1");

  private String load(TicketId k) {
    return k.value() + "#" + loads.incrementAndGet();
  }

  @Test
  void valueIsLoadedOnce_untilItChangesHereOrElsewhere() {
    assertThat(cache.get(id, this::load)).isEqualTo("T-1#1");
    assertThat(cache.get(id, this::load)).isEqualTo("T-1#1");
    cache.changed(id);
    assertThat(cache.get(id, this::load)).isEqualTo("T-1#2");
    feed.publish(ChangeFeed.Topic.TICKET, java.util.List.of("T-1")); // another instance
    assertThat(cache.get(id, this::load)).isEqualTo("T-1#3");
    feed.publish(ChangeFeed.Topic.CASE, java.util.List.of("T-1")); // another topic: kept
    assertThat(cache.get(id, this::load)).isEqualTo("T-1#3");
  }

  @Test
  void loadThatSpansAGapInTheFeed_isNotKept() {
    assertThat(cache.get(id, k -> {
      feed.down();
      feed.up();
      return load(k);
    })).isEqualTo("T-1#1");
    assertThat(cache.get(id, this::load)).isEqualTo("T-1#2");
  }

  @Test
  void keyThatCannotBeRead_dropsEverything() {
    cache.get(id, this::load);
    feed.publish(ChangeFeed.Topic.TICKET, java.util.List.of("not a ticket id \u0000"));
    assertThat(cache.get(id, this::load)).isEqualTo("T-1#2");
  }

  @Test
  void nullIsNeverKept() {
    assertThat(cache.get(id, k -> null)).isNull();
    assertThat(cache.get(id, this::load)).isEqualTo("T-1#1");
  }

  @Test
  void entriesLoadedTogether_expireSpreadBetweenHalfTheTtlAndTheTtl() {
    java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
        new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-11-22T00:00:00Z"));
    java.time.Instant start = now.get();
    ReadCache<TicketId, String> timed = new ReadCache<>(Duration.ofSeconds(30), 10_000, now::get, feed,
        ChangeFeed.Topic.TICKET, TicketId::value, TicketId::parse);
    java.util.List<TicketId> ids = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> new TicketId("T-" + i)).toList();
    ids.forEach(k -> timed.get(k, this::load));
    assertThat(loads.get()).isEqualTo(1000);

    now.set(start.plusSeconds(15).minusMillis(1));
    ids.forEach(k -> timed.get(k, this::load));
    assertThat(loads.get()).as("none expires before half the TTL").isEqualTo(1000);

    now.set(start.plusMillis(22_500));
    ids.forEach(k -> timed.get(k, this::load));
    assertThat(loads.get() - 1000).as("about half expire by three quarters of the TTL, not all at once")
        .isBetween(300, 700);

    now.set(start.plusSeconds(30).plusMillis(1));
    int before = loads.get();
    ids.forEach(k -> timed.get(k, this::load));
    // Those loaded at the start are all gone by the TTL; those reloaded at 22.5 s are not due yet.
    assertThat(loads.get() - before).as("every entry loaded at the start is gone after the TTL").isEqualTo(2000 - before);
  }

  @Test
  void nonPositiveTtl_isRefused() {
    assertThatThrownBy(() -> new ReadCache<TicketId, String>(Duration.ZERO, 1, InstantSource.system(), feed,
        ChangeFeed.Topic.TICKET, TicketId::value, TicketId::parse)).isInstanceOf(IllegalArgumentException.class);
  }
}
