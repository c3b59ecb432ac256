package dev.custos.server;

import dev.custos.detect.Alert;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Appends each alert as one OCSF Detection Finding JSON line to a file a SIEM's collector tails
 * (Splunk, Elastic, Security Lake's custom sources). The line is written with one append and
 * forced to disk before it counts as delivered; the file is opened per alert, so a rotated or
 * removed file is simply created again.
 */
final class OcsfFileTransport implements AlertOutbox.Transport {
  private final Path file;

  OcsfFileTransport(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  @Override
  public void send(Alert alert) throws IOException {
    ByteBuffer line = ByteBuffer.wrap((AlertDocuments.ocsfLine(alert) + "\n").getBytes(StandardCharsets.UTF_8));
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      while (line.hasRemaining()) {
        out.write(line);
      }
      out.force(false);
    }
  }

  @Override
  public String toString() {
    return "OcsfFileTransport[" + file + "]";
  }
}
