package dev.custos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.incident.Scope;
import dev.custos.store.index.FileAccessIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
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
}
