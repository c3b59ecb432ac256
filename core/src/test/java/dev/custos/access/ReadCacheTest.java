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
  void nonPositiveTtl_isRefused() {
    assertThatThrownBy(() -> new ReadCache<TicketId, String>(Duration.ZERO, 1, InstantSource.system(), feed,
        ChangeFeed.Topic.TICKET, TicketId::value, TicketId::parse)).isInstanceOf(IllegalArgumentException.class);
  }
}
