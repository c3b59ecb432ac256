package dev.custos.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.Action;
import dev.custos.access.StaffId;
import dev.custos.incident.Access;
import dev.custos.incident.MemoryAccessIndex;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.transparency.AccessLogs;
import dev.custos.transparency.Attempt;
import dev.custos.transparency.AttemptIndex;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds an in-memory {@link MemoryAccessIndex} (what was shown) and an {@link AttemptIndex} (what
 * was refused) by reading the ledger's {@code custos.access/v1} entries, bundle by bundle, up to the
 * size a reader asks for. It reads each entry once per process: the first customer reading after a
 * start reads the whole ledger.
 *
 * <p>Until the on-disk access index is wired, this is the access index behind customer transparency;
 * it stays behind the {@link dev.custos.incident.AccessIndex} contract so that the on-disk index
 * replaces it without touching {@link AccessLogs}. An entry that is not JSON or not of a known kind is
 * skipped (other systems append {@code custos.external/v1}); an access entry that does not parse is
 * logged and skipped, so a reader sees an incomplete log rather than none — the verifier shows every
 * entry it is given, never hides one.
 */
final class LedgerAccessFeed implements AccessLogs.Coverage {
  private static final Logger log = LoggerFactory.getLogger(LedgerAccessFeed.class);
  private static final String ACCESS_KIND = "custos.access/v1";
  private static final int BUNDLE = 256;

  private final Ledger ledger;
  final MemoryAccessIndex accesses = new MemoryAccessIndex();
  final AttemptIndex attempts = new AttemptIndex();
  private long read;

  LedgerAccessFeed(Ledger ledger) {
    this.ledger = ledger;
  }

  @Override
  public synchronized void upTo(long size) throws LedgerException {
    while (read < size) {
      long bundle = read / BUNDLE;
      List<byte[]> entries = ledger.reader().entryBundle(bundle, size);
      for (int i = (int) (read % BUNDLE); i < entries.size(); i++) {
        index(bundle * BUNDLE + i, entries.get(i));
      }
      read = bundle * BUNDLE + entries.size();
    }
    accesses.cover(read);
  }

  private void index(long at, byte[] entry) {
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
      boolean permit = "permit".equals(e.path("decision").asText());
      Map<String, String> fields = new LinkedHashMap<>();
      e.path("fields").properties().forEach(f -> fields.put(f.getKey(), f.getValue().asText()));
      for (Commitment c : customers(e)) {
        if (permit) {
          accesses.add(new Access(at, when, staff, e.path("session").asText(""), action, c, purposeType, purposeId, fields));
        } else {
          attempts.add(new Attempt(at, when, staff, action, c, purposeType, purposeId, e.path("deny").asText("denied")));
        }
      }
    } catch (java.io.IOException | RuntimeException ex) {
      log.warn("ledger entry {} is a {} entry that does not parse ({}); it is left out of the access index", at,
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
