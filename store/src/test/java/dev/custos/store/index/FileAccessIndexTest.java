package dev.custos.store.index;

import static dev.custos.store.index.IndexFixtures.T0;
import static dev.custos.store.index.IndexFixtures.access;
import static dev.custos.store.index.IndexFixtures.byCustomer;
import static dev.custos.store.index.IndexFixtures.byStaff;
import static dev.custos.store.index.IndexFixtures.customer;
import static dev.custos.store.index.IndexFixtures.staff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.incident.Access;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAccessIndexTest {
  @TempDir
  Path dir;

  /** Two days of accesses, ten an hour, ledger index = position: the first day is sealed, the second is the tail. */
  static List<Access> twoDays() {
    List<Access> out = new ArrayList<>();
    for (int i = 0; i < 480; i++) {
      out.add(access(i, T0.plus(Duration.ofMinutes(6L * i)), i % 4, i % 50));
    }
    return out;
  }

  private static Path tailLog(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("tail-")).findFirst().orElseThrow();
    }
  }

  @Test
  void window_includesItsStartAndExcludesItsEnd_acrossPartitions() {
    try (FileAccessIndex index = FileAccessIndex.open(dir)) {
      index.append(twoDays(), 480);
      assertThat(index.partitions()).isEqualTo(1);
      Instant from = T0.plus(Duration.ofMinutes(6L * 236));
      Instant to = T0.plus(Duration.ofMinutes(6L * 244));
      List<Access> found = byStaff(index, Set.of(staff(0)), from, to);
      assertThat(found).extracting(Access::ledgerIndex).containsExactly(236L, 240L);
      assertThat(byStaff(index, Set.of(staff(0)), to, to.plusNanos(1))).extracting(Access::ledgerIndex).containsExactly(244L);
      assertThat(byStaff(index, Set.of(staff(0)), from.minusNanos(1), from)).isEmpty();
    }
  }

  /** Forty days of accesses by six staff under changing purposes: 39 sealed partitions and a tail. */
  static List<Access> fortyDays() {
    List<Access> out = new ArrayList<>();
    java.util.SplittableRandom random = new java.util.SplittableRandom(40);
    for (int i = 0; i < 40 * 60; i++) {
      int staff = random.nextInt(6);
      Access a = access(i, T0.plus(Duration.ofMinutes(24L * i)), staff, random.nextInt(300));
      out.add(new Access(a.ledgerIndex(), a.at(), a.staff(), a.session(), a.action(), a.customer(), a.purposeType(),
          java.util.Optional.of("T-" + staff + "-" + (i / 7)), a.fields()));
    }
    return out;
  }

  @Test
  void readAhead_returnsTheSameAccessesInTheSameOrder_asReadingPartitionByPartition() {
    Set<dev.custos.access.StaffId> suspects = Set.of(staff(1), staff(3), staff(5), staff(9));
    Instant from = T0.plus(Duration.ofHours(30));
    Instant to = T0.plus(Duration.ofDays(39));
    List<Access> sequential;
    dev.custos.incident.Scope sequentialScope;
    try (FileAccessIndex index = FileAccessIndex.open(dir, 0)) {
      index.append(fortyDays(), 40 * 60);
      assertThat(index.partitions()).isGreaterThan(30);
      sequential = byStaff(index, suspects, from, to);
      sequentialScope = dev.custos.incident.Scope.of(index, suspects, from, to);
    }
    try (FileAccessIndex index = FileAccessIndex.open(dir, 4)) {
      assertThat(byStaff(index, suspects, from, to)).isNotEmpty().isEqualTo(sequential);
      assertThat(dev.custos.incident.Scope.of(index, suspects, from, to)).isEqualTo(sequentialScope);
      assertThat(index.distinctCustomers(staff(3), from, to))
          .isEqualTo(sequential.stream().filter(a -> a.staff().equals(staff(3))).map(Access::customer).distinct().count());
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void readAhead_ofADamagedPartition_leavesTheOutcomeToTheRead() throws IOException {
    try (FileAccessIndex index = FileAccessIndex.open(dir, 2)) {
      index.append(twoDays(), 480);
    }
    Path segment;
    try (Stream<Path> files = Files.list(dir)) {
      segment = files.filter(p -> p.getFileName().toString().startsWith("seg-")).findFirst().orElseThrow();
    }
    try (FileAccessIndex index = FileAccessIndex.open(dir, 2)) {
      List<Access> before = byStaff(index, Set.of(staff(2)), T0, T0.plus(Duration.ofDays(2)));
      assertThat(before).hasSize(120);
    }
    // A slice count past the end of the records: the read-ahead must neither throw into the read nor hang it.
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer header = ByteBuffer.allocate(16);
      ch.read(header, 0);
      int records = header.getInt(8);
      long staffBase = Segment.HEADER + (long) records * Segment.RECORD;
      ByteBuffer count = ByteBuffer.allocate(4).putInt(0, records * 4);
      ch.write(count, staffBase + 8);
    }
    assertThat(outcome(2)).isEqualTo(outcome(0));
  }

  /** What reading staff 0 over the two days gives with {@code readAhead} threads: the accesses, or the error's class. */
  private Object outcome(int readAhead) {
    try (FileAccessIndex index = FileAccessIndex.open(dir, readAhead)) {
      return byStaff(index, Set.of(staff(0)), T0, T0.plus(Duration.ofDays(2)));
    } catch (RuntimeException e) {
      return e.getClass();
    }
  }

  @Test
  void open_refusesANegativeReadAhead() {
    assertThatThrownBy(() -> FileAccessIndex.open(dir, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("read-ahead");
  }

  @Test
  void byCustomer_isInLedgerOrder_acrossStaffAndPartitions() {
    try (FileAccessIndex index = FileAccessIndex.open(dir)) {
      index.append(twoDays(), 480);
      assertThat(byCustomer(index, customer(7))).extracting(Access::ledgerIndex)
          .containsExactly(7L, 57L, 107L, 157L, 207L, 257L, 307L, 357L, 407L, 457L);
      assertThat(byCustomer(index, customer(999))).isEmpty();
    }
  }

  @Test
  void append_refusesAnAccessTheIndexAlreadyCovers() {
    try (FileAccessIndex index = FileAccessIndex.open(dir)) {
      index.append(twoDays().subList(0, 10), 10);
      assertThatThrownBy(() -> index.append(List.of(access(9, T0, 0, 0)), 11))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ledger index 9");
      assertThatThrownBy(() -> index.append(List.of(), 9)).isInstanceOf(IllegalArgumentException.class);
      assertThat(index.coveredSize()).isEqualTo(10);
      assertThat(index.accesses()).isEqualTo(10);
    }
  }

  @Test
  void secondOpen_ofTheSameDirectory_isRefused() {
    try (FileAccessIndex index = FileAccessIndex.open(dir)) {
      assertThatThrownBy(() -> FileAccessIndex.open(dir)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("open in another process");
    }
  }

  @Test
  void crash_afterUncommittedWrites_resumesAtTheLastCommit_withoutCountingTwice() throws IOException {
    List<Access> all = twoDays();
    try (FileAccessIndex index = FileAccessIndex.open(dir)) {
      index.append(all.subList(0, 300), 300);
    }
    // What a crash mid-append leaves: records and dictionary entries written past the commit point.
    Path tail = tailLog(dir);
    try (FileChannel ch = FileChannel.open(tail, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.wrap(new byte[70]));
    }
    Files.write(dir.resolve("customers.dict"), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
    Files.write(dir.resolve("staff.dict"), new byte[] {0, 0, 0, 9, 'x'}, StandardOpenOption.APPEND);
    Files.write(dir.resolve("seg-00000099.cxs"), new byte[] {1});
    try (FileAccessIndex index = FileAccessIndex.open(dir)) {
      assertThat(index.coveredSize()).isEqualTo(300);
      assertThat(index.accesses()).isEqualTo(300);
      assertThat(Files.exists(dir.resolve("seg-00000099.cxs"))).isFalse();
      index.append(all.subList(300, 480), 480);
      assertThat(byStaff(index, Set.of(staff(1)), Instant.MIN, Instant.MAX)).hasSize(120);
      assertThat(index.distinctCustomers()).isEqualTo(50);
    }
  }

  @Test
  void damagedTail_fallsBackToTheLastSeal_andTheLedgerIsReadAgainFromThere() throws IOException {
    List<Access> all = twoDays();
    try (FileAccessIndex index = FileAccessIndex.open(dir)) {
      index.append(all.subList(0, 250), 250);
      index.append(all.subList(250, 300), 300);
    }
    // The day boundary is at access 240: the first partition is sealed there, 60 records are in the tail.
    Path tail = tailLog(dir);
    try (FileChannel ch = FileChannel.open(tail, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xff}), 44 * 30 + 9);
    }
    try (FileAccessIndex index = FileAccessIndex.open(dir)) {
      assertThat(index.coveredSize()).isEqualTo(240);
      assertThat(index.accesses()).isEqualTo(240);
      index.append(all.subList(240, 480), 480);
      assertThat(index.accesses()).isEqualTo(480);
      assertThat(byStaff(index, Set.of(staff(2)), Instant.MIN, Instant.MAX)).extracting(Access::ledgerIndex)
          .doesNotHaveDuplicates().hasSize(120);
    }
  }

  @Test
  void truncatedTail_fallsBackToTheLastSeal() throws IOException {
    try (FileAccessIndex index = FileAccessIndex.open(dir)) {
      index.append(twoDays().subList(0, 300), 300);
    }
    Path tail = tailLog(dir);
    try (FileChannel ch = FileChannel.open(tail, StandardOpenOption.WRITE)) {
      ch.truncate(44 * 10 + 3);
    }
    try (FileAccessIndex index = FileAccessIndex.open(dir)) {
      assertThat(index.coveredSize()).isEqualTo(240);
    }
  }

  @Test
  void damagedState_rebuildsTheIndexFromScratch() throws IOException {
    try (FileAccessIndex index = FileAccessIndex.open(dir)) {
      index.append(twoDays(), 480);
    }
    byte[] state = Files.readAllBytes(dir.resolve("state"));
    state[10] ^= 1;
    Files.write(dir.resolve("state"), state);
    try (FileAccessIndex index = FileAccessIndex.open(dir)) {
      assertThat(index.coveredSize()).isZero();
      assertThat(index.accesses()).isZero();
      assertThat(index.partitions()).isZero();
      index.append(twoDays(), 480);
      assertThat(index.accesses()).isEqualTo(480);
    }
  }

  @Test
  void damagedSegment_rebuildsTheIndexFromScratch() throws IOException {
    try (FileAccessIndex index = FileAccessIndex.open(dir)) {
      index.append(twoDays(), 480);
    }
    try (FileChannel ch = FileChannel.open(dir.resolve("seg-00000000.cxs"), StandardOpenOption.WRITE)) {
      ch.truncate(100);
    }
    try (FileAccessIndex index = FileAccessIndex.open(dir)) {
      assertThat(index.coveredSize()).isZero();
    }
  }
}
