package dev.custos.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Shared fixtures for ledger tests. */
final class TestLogs {

    static final NoteSigner SIGNER = NoteSigner.generate("custos.test/ledger", new SecureRandom());

    private TestLogs() {}

    /** Options that publish only when asked, so tests control the phases. */
    static LedgerOptions manual() {
        return LedgerOptions.of(SIGNER).withPublishInterval(Duration.ZERO);
    }

    static byte[] entry(long i) {
        return ("{\"event\":" + i + ",\"pad\":\"" + "x".repeat((int) (i % 37)) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static List<byte[]> entries(long from, long to) {
        List<byte[]> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            out.add(entry(i));
        }
        return out;
    }

    /** Copies a directory tree, as the disk would look after a crash at this moment. */
    static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    try {
                        Files.copy(p, target);
                    } catch (NoSuchFileException renamedAway) {
                        // a writer's temporary file renamed mid-walk: a crash image may or may not hold it
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path onlyWalSegment(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
            List<Path> segs = s.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
            return segs.get(segs.size() - 1);
        }
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
