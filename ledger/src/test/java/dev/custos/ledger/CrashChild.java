package dev.custos.ledger;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The process that {@link KillNineTest} kills: appends from many threads and prints one line per
 * acknowledged entry, {@code ack <index> <entry hex> .}, only after the receipt is returned.
 */
final class CrashChild {

    private CrashChild() {}

    /** A 200-byte entry (the size the benchmarks use), so that the 64 KiB segments fill every few hundred. */
    private static byte[] padded(String id) {
        return (id + ".".repeat(Math.max(0, 200 - id.length()))).getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        NoteSigner signer = NoteSigner.load(Path.of(args[1]));
        int threads = Integer.parseInt(args[2]);
        String run = args[3];
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        // Small segments, so that segments rotate and are recycled many times between kills.
        Ledger ledger = Ledger.open(dir, LedgerOptions.of(signer).withPublishInterval(Duration.ofMillis(25))
                .withWalSegmentBytes(1 << 16));
        out.println("ready");
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread.ofPlatform().daemon(false).start(() -> {
                try {
                    for (long seq = 0; ; seq++) {
                        if (id % 2 == 0) {
                            byte[] e = padded("r" + run + "-w" + id + "-" + seq);
                            Receipt r = ledger.append(e);
                            out.println("ack " + r.index() + " " + HexFormat.of().formatHex(e) + " .");
                        } else {
                            List<byte[]> batch = new ArrayList<>();
                            for (int k = 0; k < 3; k++) {
                                batch.add(padded("r" + run + "-w" + id + "-" + seq + "-" + k));
                            }
                            List<Receipt> rs = ledger.appendAll(batch);
                            for (int k = 0; k < 3; k++) {
                                out.println("ack " + rs.get(k).index() + " " + HexFormat.of().formatHex(batch.get(k)) + " .");
                            }
                        }
                    }
                } catch (LedgerException e) {
                    out.println("error " + e.getMessage());
                }
            });
        }
    }
}
