package dev.custos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.incident.Scope;
import dev.custos.store.index.FileAccessIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.time.Instant;
import dev.custos.incident.Access;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A smoke run of the scope harness, not a benchmark: the generated index holds what was asked for. */
class ScopeLoadTest {
  @TempDir
  Path tmp;

  @Test
  void generate_writesEveryEventIntoDayPartitions_andTheSuspectsHaveAScope() throws Exception {
    Path dir = tmp.resolve("index");
    ScopeLoad.generate(dir, 20_000, 50, 2_000, 4, 1);
    try (FileAccessIndex index = FileAccessIndex.open(dir)) {
      assertThat(index.accesses()).isEqualTo(20_000);
      assertThat(index.coveredSize()).isEqualTo(20_000);
      assertThat(index.partitions()).isEqualTo(3);
      assertThat(index.staff()).hasSize(50);
      Scope scope = Scope.of(index, Set.of(ScopeLoad.staff(0)), ScopeLoad.END.minus(Duration.ofDays(4)), ScopeLoad.END);
      assertThat(scope.accesses()).isBetween(200L, 600L);
    }
    long[] scanned = ScopeLoad.scan(java.nio.file.Files.list(dir)
        .filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().toList());
    assertThat(scanned[0]).isEqualTo(15_000);
  }

  @Test
  void generateThroughLedger_indexesTheSameAccesses_asTheDirectPath() throws Exception {
    ScopeLoad.generate(tmp.resolve("direct"), 6_000, 20, 500, 3, 5);
    ScopeLoad.generateThroughLedger(tmp.resolve("index"), tmp.resolve("ledger"), 6_000, 20, 500, 3, 5);
    try (FileAccessIndex direct = FileAccessIndex.open(tmp.resolve("direct"));
        FileAccessIndex viaLedger = FileAccessIndex.open(tmp.resolve("index"))) {
      assertThat(viaLedger.coveredSize()).isEqualTo(6_000);
      List<Access> expected = new ArrayList<>();
      direct.byStaff(direct.staff(), Instant.MIN, Instant.MAX, expected::add);
      List<Access> actual = new ArrayList<>();
      viaLedger.byStaff(viaLedger.staff(), Instant.MIN, Instant.MAX, actual::add);
      assertThat(actual).hasSize(6_000).isEqualTo(expected);
    }
  }
}
