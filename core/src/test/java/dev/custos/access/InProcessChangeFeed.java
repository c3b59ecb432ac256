package dev.custos.access;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link ChangeFeed} shared by several "instances" in one test: a publish is heard by every
 * subscriber at once, and the test can take the feed down and bring it back (a gap).
 */
public final class InProcessChangeFeed implements ChangeFeed {
  private record Subscription(Topic topic, Consumer<String> listener) {}

  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final AtomicLong epoch = new AtomicLong();
  private volatile boolean live = true;
  /** Every key published, as {@code topic:key}. */
  public final List<String> published = new CopyOnWriteArrayList<>();

  @Override
  public void publish(Topic topic, Collection<String> keys) {
    for (String k : keys) {
      published.add(topic.wireName() + ":" + k);
      if (live) {
        subscriptions.stream().filter(s -> s.topic() == topic).forEach(s -> s.listener().accept(k));
      }
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
    subscriptions.add(new Subscription(topic, listener));
  }

  /** The listening connection is lost: not live, and changes may be missed from now on. */
  public void down() {
    live = false;
    gap();
  }

  /** Listening again: a new epoch, and everyone drops everything. */
  public void up() {
    gap();
    live = true;
  }

  private void gap() {
    epoch.incrementAndGet();
    subscriptions.forEach(s -> s.listener().accept(ALL));
  }
}
