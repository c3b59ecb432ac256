package dev.custos.store.index;

import static dev.custos.store.index.IndexFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.Action;
import dev.custos.access.StaffId;
import dev.custos.incident.Access;
import dev.custos.incident.MemoryAccessIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The index on disk answers every question exactly as the in-memory index does, across seals and reopenings. */
class FileAccessIndexProperties {

  record Step(int staff, int customer, int minutes, int fanOut, int gap, Action action, boolean reveal) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 40),
        Arbitraries.integers().between(0, 600), Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3),
        Arbitraries.of(Action.class), Arbitraries.of(true, false)).as(Step::new);
    return step.list().ofMaxSize(300);
  }

  @Property(tries = 40)
  void fileIndex_answersAsTheMemoryIndex(@ForAll("steps") List<Step> steps, @ForAll @IntRange(min = 1, max = 6) int reopenEvery,
      @ForAll @IntRange(min = 0, max = 3000) int fromMinute, @ForAll @IntRange(min = 1, max = 4000) int length)
      throws IOException {
    Path dir = Files.createTempDirectory("access-index");
    try {
      MemoryAccessIndex memory = new MemoryAccessIndex();
      FileAccessIndex file = FileAccessIndex.open(dir);
      long ledger = 0;
      Instant clock = T0;
      List<Access> batch = new ArrayList<>();
      int batches = 0;
      for (Step s : steps) {
        // Minutes only forward (mostly): a day in the ledger is a few hundred steps apart.
        clock = clock.plus(Duration.ofMinutes(s.minutes())).plusNanos(s.customer());
        for (int k = 0; k < (s.action() == Action.SEARCH ? s.fanOut() : 1); k++) {
          Access a = new Access(ledger, clock, IndexFixtures.staff(s.staff()), "session-" + s.staff() % 3, s.action(),
              IndexFixtures.customer(s.customer() + k), s.action() == Action.BREAK_GLASS ? "break-glass" : "ticket",
              s.action() == Action.BREAK_GLASS ? Optional.empty() : Optional.of("T-" + s.customer()),
              s.reveal() ? Map.of("phone", "none") : Map.of("email", "partial-email", "phone", "last-4"));
          memory.add(a);
          batch.add(a);
        }
        ledger += s.gap();
        if (s.customer() % 4 == 0) {
          file.append(batch, ledger);
          memory.cover(ledger);
          batch.clear();
          if (++batches % reopenEvery == 0) {
            file.close();
            file = FileAccessIndex.open(dir);
          }
        }
      }
      file.append(batch, ledger);
      memory.cover(ledger);
      file.close();
      file = FileAccessIndex.open(dir);
      try {
        Instant from = T0.plus(Duration.ofMinutes(fromMinute));
        Instant to = from.plus(Duration.ofMinutes(length));
        assertThat(file.coveredSize()).isEqualTo(memory.coveredSize());
        assertThat(file.staff()).containsExactlyElementsOf(memory.staff());
        assertThat(file.distinctCustomers()).isEqualTo(memory.distinctCustomers());
        Set<StaffId> suspects = new HashSet<>(List.of(IndexFixtures.staff(0), IndexFixtures.staff(3), new StaffId("nobody")));
        assertThat(IndexFixtures.byStaff(file, suspects, from, to))
            .containsExactlyElementsOf(IndexFixtures.byStaff(memory, suspects, from, to));
        assertThat(IndexFixtures.byStaff(file, memory.staff(), Instant.MIN, Instant.MAX))
            .containsExactlyElementsOf(IndexFixtures.byStaff(memory, memory.staff(), Instant.MIN, Instant.MAX));
        for (StaffId s : memory.staff()) {
          assertThat(file.distinctCustomers(s, from, to)).isEqualTo(memory.distinctCustomers(s, from, to));
        }
        for (int c = 0; c < 44; c++) {
          assertThat(IndexFixtures.byCustomer(file, IndexFixtures.customer(c)))
              .containsExactlyElementsOf(IndexFixtures.byCustomer(memory, IndexFixtures.customer(c)));
        }
      } finally {
        file.close();
      }
    } finally {
      delete(dir);
    }
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
