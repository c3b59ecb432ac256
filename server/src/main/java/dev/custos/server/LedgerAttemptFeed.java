package dev.custos.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custos.access.Action;
import dev.custos.access.StaffId;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.transparency.AccessLogs;
import dev.custos.transparency.Attempt;
import dev.custos.transparency.AttemptIndex;
import dev.custos.vault.Commitment;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refused requests about customers ({@link AttemptIndex}), read from the ledger's
 * {@code custos.access/v1} deny entries bundle by bundle up to the size a reader asks for: a
 * customer's access log lists attempts too, and the access index holds only what was shown. An
 * entry that is not JSON or of another kind is skipped without parsing; an access entry that does
 * not parse is logged and skipped, so a reader sees an incomplete list rather than none.
 *
 * <p>What it read is kept in {@code <data>/index/attempts.log}, one JSON line per attempt and a
 * {@code {"read":N}} line after each batch, so a start resumes where the last process stopped
 * instead of reading the whole ledger again. The file is derived data, rebuilt from the ledger when
 * deleted; at load, everything after the last complete {@code read} line (a torn or damaged tail) is
 * cut off and read again from the ledger.
 */
final class LedgerAttemptFeed implements AccessLogs.Coverage {
  private static final Logger log = LoggerFactory.getLogger(LedgerAttemptFeed.class);
  private static final String ACCESS_KIND = "custos.access/v1";
  private static final int BUNDLE = 256;

  private final Ledger ledger;
  private final Path file;
  final AttemptIndex attempts = new AttemptIndex();
  private long read;

  /** A feed that keeps what it read in {@code file} (created if missing) and resumes from it. */
  LedgerAttemptFeed(Ledger ledger, Path file) throws IOException {
    this.ledger = ledger;
    this.file = file;
    load();
  }

  /** How far into the ledger the attempts are read. */
  synchronized long read() {
    return read;
  }

  @Override
  public synchronized void upTo(long size) throws LedgerException {
    if (read >= size) {
      return;
    }
    List<Attempt> found = new ArrayList<>();
    while (read < size) {
      long bundle = read / BUNDLE;
      List<byte[]> entries = ledger.reader().entryBundle(bundle, size);
      for (int i = (int) (read % BUNDLE); i < entries.size(); i++) {
        index(bundle * BUNDLE + i, entries.get(i), found);
      }
      read = bundle * BUNDLE + entries.size();
    }
    found.forEach(attempts::add);
    save(found);
  }

  private void load() throws IOException {
    if (!Files.exists(file)) {
      try (FileChannel c = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        c.force(true);
      }
      return;
    }
    byte[] bytes = Files.readAllBytes(file);
    List<Attempt> loaded = new ArrayList<>();
    List<Attempt> pending = new ArrayList<>();
    long kept = 0;
    long readThere = 0;
    int from = 0;
    // Only lines ended by a newline count: a last line without one was torn.
    for (int nl = indexOf(bytes, from); nl >= 0; from = nl + 1, nl = indexOf(bytes, from)) {
      try {
        JsonNode n = Json.MAPPER.readTree(new String(bytes, from, nl - from, StandardCharsets.UTF_8));
        if (n == null || !n.isObject()) {
          break;
        }
        if (n.has("read")) {
          readThere = n.get("read").asLong();
          loaded.addAll(pending);
          pending.clear();
          kept = nl + 1;
        } else {
          pending.add(attempt(n));
        }
      } catch (IOException | RuntimeException e) {
        break;
      }
    }
    if (readThere > ledger.durableSize()) {
      // Not this ledger's (a data directory put together from parts): read everything again.
      log.warn("refused attempts: {} says {} entries were read but the ledger holds {}; reading them again", file,
          readThere, ledger.durableSize());
      loaded.clear();
      readThere = 0;
      Files.write(file, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
      bytes = new byte[0];
      kept = 0;
    }
    loaded.forEach(attempts::add);
    read = readThere;
    if (kept < Files.size(file)) {
      log.warn("refused attempts: {} had {} bytes after its last complete batch (a torn write); they are read again"
          + " from the ledger", file, Files.size(file) - kept);
      try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
        c.truncate(kept);
        c.force(true);
      }
    }
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Appends {@code found} and how far the feed read, then forces them to disk. */
  private void save(List<Attempt> found) throws LedgerException {
    StringBuilder out = new StringBuilder();
    for (Attempt a : found) {
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.put("index", a.ledgerIndex());
      n.put("at", a.at().toString());
      n.put("staff", a.staff().value());
      n.put("action", a.action().wireName());
      n.put("customer", a.customer().hex());
      n.put("purpose", a.purposeType());
      a.purposeId().ifPresent(id -> n.put("purposeId", id));
      n.put("reason", a.reason());
      out.append(n).append('\n');
    }
    out.append("{\"read\":").append(read).append("}\n");
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        c.write(b);
      }
      c.force(false);
    } catch (IOException e) {
      // The attempts are in memory; the next start reads them again from the ledger.
      log.warn("refused attempts: cannot append to {} ({}); a restart reads them again from the ledger", file,
          e.getMessage());
    }
  }

  private static Attempt attempt(JsonNode n) {
    return new Attempt(n.get("index").asLong(), Instant.parse(n.get("at").asText()), new StaffId(n.get("staff").asText()),
        action(n.get("action").asText()), Commitment.parse(n.get("customer").asText()), n.get("purpose").asText(),
        n.hasNonNull("purposeId") ? Optional.of(n.get("purposeId").asText()) : Optional.empty(),
        n.get("reason").asText());
  }

  private void index(long at, byte[] entry, List<Attempt> found) {
    if (!looksLikeAccess(entry)) {
      return;
    }
    try {
      JsonNode e = Json.MAPPER.readTree(entry);
      if (!ACCESS_KIND.equals(e.path("kind").asText())) {
        return;
      }
      Instant when = Instant.parse(e.get("at").asText());
      StaffId staff = new StaffId(e.get("staff").asText());
      Action action = action(e.get("action").asText());
      JsonNode purpose = e.path("purpose");
      String purposeType = purpose.path("type").asText("none");
      Optional<String> purposeId = purpose.hasNonNull("id") ? Optional.of(purpose.get("id").asText()) : Optional.empty();
      if ("permit".equals(e.path("decision").asText())) {
        return; // shown: the access index holds it
      }
      for (Commitment c : customers(e)) {
        found.add(new Attempt(at, when, staff, action, c, purposeType, purposeId, e.path("deny").asText("denied")));
      }
    } catch (java.io.IOException | RuntimeException ex) {
      log.warn("ledger entry {} is a {} entry that does not parse ({}); it is left out of the refused attempts", at,
          ACCESS_KIND, ex.getClass().getSimpleName());
    }
  }

  /** Cheap pre-check: most entries of other kinds are skipped without parsing. */
  private static boolean looksLikeAccess(byte[] entry) {
    return new String(entry, java.nio.charset.StandardCharsets.UTF_8).contains("\"kind\":\"" + ACCESS_KIND + "\"");
  }

  private static List<Commitment> customers(JsonNode e) {
    java.util.ArrayList<Commitment> out = new java.util.ArrayList<>();
    if (e.hasNonNull("customer")) {
      out.add(Commitment.parse(e.get("customer").asText()));
    }
    for (JsonNode c : e.path("customers")) {
      out.add(Commitment.parse(c.asText()));
    }
    return out;
  }

  private static Action action(String wire) {
    for (Action a : Action.values()) {
      if (a.wireName().equals(wire)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown action");
  }
}
