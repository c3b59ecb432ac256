package dev.custos.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.Action;
import dev.custos.access.StaffId;
import dev.custos.incident.Access;
import dev.custos.incident.AccessIndex;
import dev.custos.incident.MemoryAccessIndex;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.vault.Commitment;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The access index held in memory and fed from the ledger's published entries: each call to
 * {@link #current} first reads the {@code custos.access/v1} entries published since the last call.
 * Correct at any ledger size, but it holds every access in memory and reads the whole ledger on its
 * first use: it stands in until the persistent index (per-staff and per-customer posting lists) is
 * wired in its place, behind the same {@link AccessIndex} contract.
 */
final class LedgerAccessIndex {
  private static final String KIND = "custos.access/v1";
  private final Ledger ledger;
  private final MemoryAccessIndex index = new MemoryAccessIndex();
  private long read;

  LedgerAccessIndex(Ledger ledger) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
  }

  /** The index, caught up with the latest published checkpoint. */
  synchronized AccessIndex current() throws LedgerException {
    long size = ledger.latestCheckpoint().checkpoint().size();
    for (; read < size; read++) {
      byte[] entry = ledger.entry(read);
      for (Access a : accesses(read, entry)) {
        index.add(a);
      }
    }
    index.cover(size);
    return index;
  }

  /** The accesses one ledger entry records: none unless it is a permitted {@code custos.access/v1} decision. */
  static java.util.List<Access> accesses(long ledgerIndex, byte[] entry) {
    JsonNode e;
    try {
      e = Json.MAPPER.readTree(entry);
    } catch (IOException ex) {
      return java.util.List.of(); // not JSON: not an access entry (entries of other writers may be anything)
    }
    if (e == null || !KIND.equals(e.path("kind").asText()) || !"permit".equals(e.path("decision").asText())) {
      return java.util.List.of();
    }
    Action action = switch (e.path("action").asText()) {
      case "view" -> Action.VIEW;
      case "reveal" -> Action.REVEAL;
      case "search" -> Action.SEARCH;
      case "break-glass" -> Action.BREAK_GLASS;
      default -> null;
    };
    if (action == null) {
      return java.util.List.of();
    }
    Instant at = Instant.parse(e.path("at").asText());
    StaffId staff = new StaffId(e.path("staff").asText());
    String session = e.path("session").asText("");
    String purposeType = e.path("purpose").path("type").asText("none");
    Optional<String> purposeId = e.path("purpose").hasNonNull("id") ? Optional.of(e.path("purpose").path("id").asText())
        : Optional.empty();
    Map<String, String> fields = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = e.path("fields").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      fields.put(f.getKey(), f.getValue().asText());
    }
    java.util.List<Access> out = new java.util.ArrayList<>();
    if (action == Action.SEARCH) {
      for (JsonNode c : e.path("customers")) {
        out.add(new Access(ledgerIndex, at, staff, session, action, Commitment.parse(c.asText()), purposeType, purposeId, fields));
      }
    } else if (e.hasNonNull("customer")) {
      out.add(new Access(ledgerIndex, at, staff, session, action, Commitment.parse(e.path("customer").asText()), purposeType,
          purposeId, fields));
    }
    return out;
  }
}
