package dev.custos.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.incident.Access;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerOptions;
import dev.custos.ledger.NoteSigner;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The indexer over a real ledger: other kinds skipped, searches fanned out, and a crash resumed exactly. */
class LedgerIndexerTest {
  @TempDir
  Path temp;

  static String view(int i) {
    String c = String.format("%064x", i % 7);
    return "{\"action\":\"view\",\"at\":\"2026-11-0" + (1 + i / 400) + "T00:00:00." + String.format("%03d", i % 400)
        + "Z\",\"customer\":\"" + c + "\",\"decision\":\"permit\",\"fields\":{\"email\":\"partial-email\"},"
        + "\"kind\":\"custos.access/v1\",\"purpose\":{\"id\":\"T-" + i + "\",\"type\":\"ticket\"},"
        + "\"session\":\"s\",\"staff\":\"agent-" + (i % 3) + "\"}";
  }

  static String entry(int i) {
    if (i % 10 == 3) {
      return "{\"kind\":\"custos.case/v1\",\"action\":\"open\"}";
    }
    if (i % 10 == 7) {
      return "{\"action\":\"search\",\"at\":\"2026-11-0" + (1 + i / 400) + "T00:00:01Z\",\"customer\":null,"
          + "\"customers\":[\"" + "a".repeat(64) + "\",\"" + "b".repeat(64) + "\"],\"decision\":\"permit\","
          + "\"fields\":{\"name\":\"initial\"},\"kind\":\"custos.access/v1\",\"purpose\":{\"type\":\"none\"},"
          + "\"session\":\"s\",\"staff\":\"agent-9\"}";
    }
    return view(i);
  }

  static List<Access> all(FileAccessIndex index) {
    List<Access> out = new ArrayList<>();
    index.byStaff(index.staff(), Instant.MIN, Instant.MAX, out::add);
    return out;
  }

  @Test
  void catchUp_afterATornCommit_resumesAtTheLastCommit_andEndsAsAFreshRebuild() throws Exception {
    Path ledgerDir = temp.resolve("ledger");
    try (Ledger ledger = Ledger.open(ledgerDir, LedgerOptions.of(NoteSigner.generate("test", new SecureRandom())))) {
      List<byte[]> entries = new ArrayList<>();
      for (int i = 0; i < 1200; i++) {
        entries.add(entry(i).getBytes(StandardCharsets.UTF_8));
      }
      ledger.appendAll(entries);
      long size = ledger.publish().checkpoint().size();
      assertThat(size).isEqualTo(1200);

      Path dir = temp.resolve("index");
      try (FileAccessIndex index = FileAccessIndex.open(dir)) {
        new LedgerIndexer(index, ledger.reader()).catchUp(700);
        assertThat(index.coveredSize()).isEqualTo(700);
      }
      // A crash in the middle of the next commit: bytes written past the state, which never moved.
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.filter(f -> f.getFileName().toString().startsWith("tail-")).toList()) {
          try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[44 * 5 + 7]));
          }
        }
      }
      List<Access> resumed;
      try (FileAccessIndex index = FileAccessIndex.open(dir)) {
        assertThat(index.coveredSize()).isEqualTo(700);
        LedgerIndexer indexer = new LedgerIndexer(index, ledger.reader());
        indexer.catchUp(size);
        assertThat(indexer.unreadable()).isZero();
        resumed = all(index);
        assertThat(index.coveredSize()).isEqualTo(1200);
      }
      try (FileAccessIndex fresh = FileAccessIndex.open(temp.resolve("fresh"))) {
        new LedgerIndexer(fresh, ledger.reader()).catchUp(size);
        assertThat(resumed).containsExactlyElementsOf(all(fresh));
        // 1200 entries: 120 case entries skipped, 120 searches of two customers, 960 views.
        assertThat(resumed).hasSize(960 + 240);
        assertThat(fresh.partitions()).isEqualTo(2);
      }
    }
  }
}
