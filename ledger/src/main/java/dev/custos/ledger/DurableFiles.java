package dev.custos.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Crash-safe file replacement: write a temporary file, force it, rename it over the target, and
 * force the directory, so after a crash the target holds either the old or the new bytes in full.
 */
final class DurableFiles {

    private DurableFiles() {}

    /**
     * Writes {@code data} to {@code target} atomically. The rename is durable only once every
     * directory added to {@code dirsToSync} has been synced with {@link #syncDirectory}.
     */
    static void writeAtomically(Path target, byte[] data, Set<Path> dirsToSync) throws IOException {
        Path dir = target.getParent();
        createDirectories(dir, dirsToSync);
        writeAndRename(dir.resolve(target.getFileName() + ".tmp"), target, data);
        dirsToSync.add(dir);
    }

    /** Writes and forces {@code tmp}, then renames it onto {@code target}. */
    static void writeAndRename(Path tmp, Path target, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Creates missing directories and records the parents whose entries changed. */
    static void createDirectories(Path dir, Set<Path> dirsToSync) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectories(parent, dirsToSync);
        }
        Files.createDirectory(dir);
        if (parent != null) {
            dirsToSync.add(parent);
        }
    }

    /** Forces a directory so that renames and creations in it survive a crash. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static void syncDirectories(Set<Path> dirs) throws IOException {
        for (Path d : dirs) {
            syncDirectory(d);
        }
        dirs.clear();
    }
}
