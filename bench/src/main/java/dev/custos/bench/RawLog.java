package dev.custos.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.zip.CRC32C;

/**
 * The raw baseline for the ledger's append path: the same bytes (the ledger's write-ahead record,
 * {@code len u32 | index u64 | entry | crc32c u32}) written to one file with the same group commit
 * (one sequencer thread drains up to 8,192 waiting appends, one {@code write}, one
 * {@code force(false)}, then a second thread wakes the callers while the next group is written),
 * and nothing else: no leaf hash, no copy of the entry, no segment rotation, no integration into
 * tiles, no checkpoints.
 *
 * <p>It answers "how fast can this disk and this JVM group-commit these bytes at all", so the
 * ledger's figure can be read as a fraction of it.
 */
final class RawLog implements AppendLoad.Target {

    private static final int MAX_BATCH = 8192;
    private static final int RECORD_OVERHEAD = 16;

    private record Request(byte[] entry, CompletableFuture<Long> index) {}

    private static final Request STOP = new Request(new byte[0], new CompletableFuture<>());

    private final FileChannel channel;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final ExecutorService completer;
    private volatile IOException failure;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private long nextIndex;

    RawLog(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.completer = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("raw-completer").daemon().factory());
        this.writer = Thread.ofPlatform().name("raw-writer").daemon().start(this::run);
    }

    @Override
    public long append(byte[] entry) throws IOException, InterruptedException {
        if (failure != null) {
            throw new IOException("raw log failed", failure);
        }
        Request r = new Request(entry, new CompletableFuture<>());
        queue.add(r);
        try {
            return r.index().get();
        } catch (ExecutionException e) {
            throw new IOException("raw append failed", e.getCause());
        }
    }

    @Override
    public void close() throws IOException {
        queue.add(STOP);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        completer.close();
        channel.close();
    }

    private void run() {
        List<Request> batch = new ArrayList<>();
        CRC32C crc = new CRC32C();
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            stop = batch.remove(STOP);
            if (batch.isEmpty()) {
                continue;
            }
            long first = nextIndex;
            try {
                write(batch, crc);
            } catch (IOException e) {
                failure = e;
                batch.forEach(r -> r.index().completeExceptionally(e));
                return;
            }
            List<Request> done = List.copyOf(batch);
            completer.execute(() -> {
                long i = first;
                for (Request r : done) {
                    r.index().complete(i++);
                }
            });
            batch.clear();
        }
    }

    private void write(List<Request> batch, CRC32C crc) throws IOException {
        int bytes = 0;
        for (Request r : batch) {
            bytes += RECORD_OVERHEAD + r.entry().length;
        }
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(Integer.highestOneBit(bytes) << 1);
        }
        buffer.clear();
        for (Request r : batch) {
            int start = buffer.position();
            buffer.putInt(r.entry().length).putLong(nextIndex++).put(r.entry());
            crc.reset();
            crc.update(buffer.duplicate().flip().position(start));
            buffer.putInt((int) crc.getValue());
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(false);
    }
}
