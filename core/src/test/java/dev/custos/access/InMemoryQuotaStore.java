package dev.custos.access;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fake {@link QuotaStore} (one lock for everything); the PostgreSQL one passes the same {@link QuotaStoreContract}. */
public final class InMemoryQuotaStore implements QuotaStore {
  private record Event(String subject, Instant at) {}

  private final Map<String, List<Event>> events = new HashMap<>();
  volatile boolean failing;

  @Override
  public synchronized Result checkAndRecord(StaffId staff, List<QuotaUse> uses, Instant now) {
    if (failing) {
      throw new IllegalStateException("quota store down");
    }
    for (QuotaUse u : uses) {
      List<Event> inWindow = window(staff, u, now);
      if (u.distinct().isPresent()) {
        String s = u.distinct().get();
        if (inWindow.stream().anyMatch(e -> e.subject().equals(s))) {
          continue;
        }
      }
      long used = u.distinct().isPresent() ? inWindow.stream().map(Event::subject).distinct().count() : inWindow.size();
      if (used >= u.limit()) {
        Optional<Instant> oldest = inWindow.stream().map(Event::at).min(Instant::compareTo);
        return new Refused(u, used, oldest);
      }
    }
    for (QuotaUse u : uses) {
      List<Event> list = events.computeIfAbsent(staff.value() + "/" + u.quota(), k -> new ArrayList<>());
      if (u.distinct().isPresent()) {
        String s = u.distinct().get();
        list.removeIf(e -> s.equals(e.subject()) && !e.at().isAfter(now));
        if (list.stream().noneMatch(e -> s.equals(e.subject()))) {
          list.add(new Event(s, now));
        }
      } else {
        list.add(new Event(null, now));
      }
    }
    return ADMITTED;
  }

  private List<Event> window(StaffId staff, QuotaUse u, Instant now) {
    Instant from = now.minus(u.window());
    List<Event> list = events.computeIfAbsent(staff.value() + "/" + u.quota(), k -> new ArrayList<>());
    list.removeIf(e -> !e.at().isAfter(from));
    return list;
  }
}
