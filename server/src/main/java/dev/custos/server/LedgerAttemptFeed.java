package dev.custos.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.Action;
import dev.custos.access.StaffId;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.transparency.AccessLogs;
import dev.custos.transparency.Attempt;
import dev.custos.transparency.AttemptIndex;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refused requests about customers ({@link AttemptIndex}), read from the ledger's
 * {@code custos.access/v1} deny entries bundle by bundle up to the size a reader asks for: a
 * customer's access log lists attempts too, and the access index holds only what was shown. It
 * reads each entry once per process (the first customer reading after a start reads the whole
 * ledger, skipping other kinds without parsing them). An entry that is not JSON or of another kind
 * is skipped; an access entry that does not parse is logged and skipped, so a reader sees an
 * incomplete list rather than none.
 */
final class LedgerAttemptFeed implements AccessLogs.Coverage {
  private static final Logger log = LoggerFactory.getLogger(LedgerAttemptFeed.class);
  private static final String ACCESS_KIND = "custos.access/v1";
  private static final int BUNDLE = 256;

  private final Ledger ledger;
  final AttemptIndex attempts = new AttemptIndex();
  private long read;

  LedgerAttemptFeed(Ledger ledger) {
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
      if ("permit".equals(e.path("decision").asText())) {
        return; // shown: the access index holds it
      }
      for (Commitment c : customers(e)) {
        attempts.add(new Attempt(at, when, staff, action, c, purposeType, purposeId, e.path("deny").asText("denied")));
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
