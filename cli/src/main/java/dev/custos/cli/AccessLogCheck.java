package dev.custos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custos.access.CustomerId;
import dev.custos.ledger.Checkpoint;
import dev.custos.ledger.ConsistencyProof;
import dev.custos.ledger.CosignatureCheck;
import dev.custos.ledger.Hash;
import dev.custos.ledger.InclusionProof;
import dev.custos.ledger.Merkle;
import dev.custos.ledger.NoteVerifier;
import dev.custos.ledger.Parsed;
import dev.custos.ledger.SignedCheckpoint;
import dev.custos.vault.Commitment;
import dev.custos.vault.CommitmentSalt;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a customer's access log ({@code GET /v1/me/access-log}) offline, exactly as the customer
 * page does in the browser (docs/transparency.md): the checkpoint's signature by the trusted key,
 * the commitment recomputed from the salt and the customer id, the consistency proof from the
 * checkpoint seen last, and for every item its leaf hash, its inclusion proof and that the entry
 * names the customer and says what the item says.
 *
 * <p>{@link #parse} throws {@link UsageException} for input that is not an access log (exit 2);
 * {@link #verify} never throws for a log that parsed: each problem is a {@link Finding}.
 */
public final class AccessLogCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One problem; {@code index} is the ledger index of the item, or -1 for the log as a whole. */
  public record Finding(long index, String problem) {}

  /** One verified item, for the report. */
  public record Line(long index, String at, String staff, String action, String purpose, String decision, String fields) {}

  /**
   * What was checked and what failed; {@code cosignatures} are the checkpoint's witness lines as
   * {@link CosignatureCheck} judged them (a trusted witness's failed or missing cosignature is also a finding).
   */
  public record Report(Optional<Checkpoint> checkpoint, List<Line> verified, List<Finding> findings,
      List<CosignatureCheck> cosignatures) {
    public boolean clean() {
      return findings.isEmpty();
    }
  }

  /** The log as sent, its members checked for shape only. */
  public record Log(String customer, String commitment, byte[] salt, String checkpoint, String verifierKey,
      Optional<JsonNode> consistency, List<JsonNode> items) {}

  private AccessLogCheck() {}

  /** Parses an access log document; anything not shaped like one is bad input. */
  public static Log parse(byte[] json) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (java.io.IOException | RuntimeException e) {
      throw new UsageException("the access log is not JSON");
    }
    if (n == null || !n.isObject()) {
      throw new UsageException("the access log is not a JSON object");
    }
    byte[] salt;
    try {
      salt = Base64.getDecoder().decode(text(n, "salt"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("the access log's salt is not base64");
    }
    JsonNode items = n.get("items");
    if (items == null || !items.isArray()) {
      throw new UsageException("the access log has no items array");
    }
    List<JsonNode> list = new ArrayList<>();
    for (JsonNode i : items) {
      if (!i.isObject() || !i.path("index").canConvertToExactIntegral() || i.path("index").asLong(-1) < 0
          || !i.path("entry").isTextual() || !i.path("inclusion").isArray()) {
        throw new UsageException("an item of the access log lacks index, entry or inclusion");
      }
      list.add(i);
    }
    JsonNode consistency = n.get("consistency");
    if (consistency != null && !consistency.isNull() && (!consistency.path("from").canConvertToExactIntegral()
        || !consistency.path("to").canConvertToExactIntegral() || !consistency.path("path").isArray())) {
      throw new UsageException("the access log's consistency member lacks from, to or path");
    }
    return new Log(text(n, "customer"), text(n, "commitment"), salt, text(n, "checkpoint"), text(n, "verifierKey"),
        consistency == null || consistency.isNull() ? Optional.empty() : Optional.of(consistency), list);
  }

  private static String text(JsonNode n, String member) {
    JsonNode v = n.get(member);
    if (v == null || !v.isTextual()) {
      throw new UsageException("the access log has no " + member + " (a string)");
    }
    return v.asText();
  }

  /**
   * Verifies {@code log} with the trusted {@code key}; {@code lastSeen} is the checkpoint the
   * customer saw before (its consistency proof must be in the log); {@code customer} overrides the
   * id the log names (the customer knows their own id).
   */
  public static Report verify(Log log, NoteVerifier key, Optional<SignedCheckpoint> lastSeen, Optional<CustomerId> customer) {
    return verify(log, key, lastSeen, customer, List.of());
  }

  /**
   * As {@link #verify(Log, NoteVerifier, Optional, Optional)}, and the checkpoint must carry a valid
   * cosignature (C2SP tlog-cosignature/v1) by each of the {@code witnesses}: a line that does not
   * verify, or none at all, is a finding. Lines by other witnesses are listed, not believed.
   *
   * @throws IllegalArgumentException if a witness key is not a cosignature/v1 key
   */
  public static Report verify(Log log, NoteVerifier key, Optional<SignedCheckpoint> lastSeen, Optional<CustomerId> customer,
      List<NoteVerifier> witnesses) {
    Objects.requireNonNull(key, "key");
    List<Finding> findings = new ArrayList<>();
    List<Line> lines = new ArrayList<>();
    if (!log.verifierKey().strip().equals(key.encoded())) {
      findings.add(new Finding(-1, "the log names verifier key " + log.verifierKey().strip()
          + ", not the trusted " + key.encoded()));
    }
    SignedCheckpoint signed = switch (SignedCheckpoint.parse(log.checkpoint(), key)) {
      case Parsed.Ok<SignedCheckpoint> ok -> ok.value();
      case Parsed.Invalid<SignedCheckpoint> bad -> {
        findings.add(new Finding(-1, "checkpoint: " + bad));
        yield null;
      }
    };
    Checkpoint cp = signed == null ? null : signed.checkpoint();
    List<CosignatureCheck> cosignatures = signed == null ? List.of() : CosignatureCheck.of(signed, key, witnesses);
    for (CosignatureCheck c : cosignatures) {
      switch (c.status()) {
        case FAILED -> findings.add(new Finding(-1, "the cosignature by witness " + c.keyName() + " (key hash "
            + c.keyHashHex() + ") does not verify: the checkpoint or its timestamp was changed, or it is forged"));
        case MISSING -> findings.add(new Finding(-1, "no cosignature by witness " + c.keyName() + " (key hash "
            + c.keyHashHex() + ") on this checkpoint (it may not have cosigned it yet: retry in a few seconds)"));
        case VERIFIED, UNKNOWN -> { }
      }
    }
    String mine;
    try {
      CustomerId id = customer.orElseGet(() -> CustomerId.parse(log.customer()));
      mine = Commitment.of(CommitmentSalt.fromBytes(log.salt()), id).hex();
      if (!mine.equals(log.commitment())) {
        findings.add(new Finding(-1, "the commitment recomputed from the salt and " + id.value() + " is " + mine
            + ", not the log's " + log.commitment()));
      }
    } catch (IllegalArgumentException e) {
      findings.add(new Finding(-1, "the salt or customer id is malformed: " + e.getMessage()));
      mine = null;
    }
    if (cp != null && lastSeen.isPresent()) {
      consistency(log, lastSeen.get().checkpoint(), cp, findings);
    }
    for (JsonNode item : log.items()) {
      long index = item.get("index").asLong();
      Optional<String> problem = cp == null ? Optional.of("no verified checkpoint to check against")
          : item(item, cp, mine);
      if (problem.isPresent()) {
        findings.add(new Finding(index, problem.get()));
      } else {
        JsonNode e = entry(item).orElseThrow();
        lines.add(new Line(index, e.path("at").asText(), item.path("staff").asText("?"), e.path("action").asText(),
            e.path("purpose").path("type").asText() + (e.path("purpose").hasNonNull("id")
                ? " " + e.path("purpose").get("id").asText() : ""),
            e.path("decision").asText(), e.path("fields").toString()));
      }
    }
    return new Report(Optional.ofNullable(cp), lines, findings, cosignatures);
  }

  /**
   * Completeness: reads every entry of the checkpoint's tree from {@code tiles}, checks that they hash
   * to the checkpoint's root (so the scan saw the signed log, not another), and adds a finding for
   * each {@code custos.access/v1} entry naming the customer's commitment that the access log omits.
   * Holds one 32-byte hash per entry: meant for logs of up to a few million entries.
   */
  static Report withScan(Report report, Log log, dev.custos.ledger.TileReader tiles, Optional<CustomerId> customer) {
    Checkpoint cp = report.checkpoint().orElseThrow();
    List<Finding> findings = new ArrayList<>(report.findings());
    String mine;
    try {
      mine = Commitment.of(CommitmentSalt.fromBytes(log.salt()),
          customer.orElseGet(() -> CustomerId.parse(log.customer()))).hex();
    } catch (IllegalArgumentException e) {
      return report; // already a finding
    }
    java.util.Set<Long> listed = new java.util.HashSet<>();
    log.items().forEach(i -> listed.add(i.get("index").asLong()));
    List<Hash> leaves = new ArrayList<>((int) Math.min(cp.size(), Integer.MAX_VALUE - 8));
    List<Long> omitted = new ArrayList<>();
    byte[] needle = mine.getBytes(StandardCharsets.US_ASCII);
    try {
      for (long bundle = 0; bundle * 256 < cp.size(); bundle++) {
        List<byte[]> entries = tiles.entryBundle(bundle, cp.size());
        for (int i = 0; i < entries.size(); i++) {
          byte[] e = entries.get(i);
          leaves.add(Merkle.leafHash(e));
          long index = bundle * 256 + i;
          if (contains(e, needle) && !listed.contains(index) && namesCustomer(e, mine)) {
            omitted.add(index);
          }
        }
      }
    } catch (dev.custos.ledger.LedgerException e) {
      findings.add(new Finding(-1, "the scan could not read the log's tiles: " + e.getMessage()));
      return new Report(report.checkpoint(), report.verified(), findings, report.cosignatures());
    }
    if (leaves.size() != cp.size() || !Merkle.root(leaves).equals(cp.rootHash())) {
      findings.add(new Finding(-1, "the scanned tiles do not hash to the signed checkpoint's root: not the signed log"));
    } else {
      for (long index : omitted) {
        findings.add(new Finding(index, "this entry names you, but the access log omits it"));
      }
    }
    return new Report(report.checkpoint(), report.verified(), findings, report.cosignatures());
  }

  private static boolean namesCustomer(byte[] raw, String mine) {
    try {
      JsonNode e = JSON.readTree(raw);
      return e != null && "custos.access/v1".equals(e.path("kind").asText())
          && (mine.equals(e.path("customer").asText()) || containsText(e.path("customers"), mine));
    } catch (java.io.IOException | RuntimeException ex) {
      return false;
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static void consistency(Log log, Checkpoint seen, Checkpoint now, List<Finding> findings) {
    if (!seen.origin().equals(now.origin())) {
      findings.add(new Finding(-1, "the last seen checkpoint is of log " + seen.origin() + ", not " + now.origin()));
      return;
    }
    if (seen.size() > now.size()) {
      findings.add(new Finding(-1, "the log has " + now.size() + " entries, fewer than the " + seen.size()
          + " of the checkpoint seen last: rolled back"));
      return;
    }
    Optional<JsonNode> c = log.consistency();
    if (c.isEmpty() || c.get().get("from").asLong() != seen.size() || c.get().get("to").asLong() != now.size()) {
      findings.add(new Finding(-1, "the log carries no consistency proof from size " + seen.size() + " to "
          + now.size() + " (ask with ?since=" + seen.size() + ")"));
      return;
    }
    List<Hash> path = hashes(c.get().get("path"));
    if (path == null || path.size() > 128 || !new ConsistencyProof(seen.size(), now.size(), path).verifies(seen.rootHash(), now.rootHash())) {
      findings.add(new Finding(-1, "the log is not consistent with the checkpoint seen last (size " + seen.size()
          + "): history was rewritten, or this is a different log than others see"));
    }
  }

  private static Optional<String> item(JsonNode item, Checkpoint cp, String mine) {
    long index = item.get("index").asLong();
    if (index >= cp.size()) {
      return Optional.of("index " + index + " is beyond the checkpoint's " + cp.size() + " entries");
    }
    byte[] entry;
    try {
      entry = Base64.getDecoder().decode(item.get("entry").asText());
    } catch (IllegalArgumentException e) {
      return Optional.of("the entry is not base64");
    }
    List<Hash> path = hashes(item.get("inclusion"));
    if (path == null || path.size() > 64
        || !new InclusionProof(index, cp.size(), path).verifies(Merkle.leafHash(entry), cp.rootHash())) {
      return Optional.of("the inclusion proof does not lead to the signed checkpoint");
    }
    Optional<JsonNode> parsed = entry(item);
    if (parsed.isEmpty() || !"custos.access/v1".equals(parsed.get().path("kind").asText())) {
      return Optional.of("the entry is not a custos.access/v1 entry");
    }
    JsonNode e = parsed.get();
    boolean names = mine != null && (mine.equals(e.path("customer").asText())
        || containsText(e.path("customers"), mine));
    if (!names) {
      return Optional.of("the entry is about someone else (not the customer's commitment)");
    }
    JsonNode p = e.path("purpose");
    JsonNode ip = item.path("purpose");
    if (!e.path("at").asText().equals(item.path("at").asText())
        || !e.path("action").asText().equals(item.path("action").asText())
        || !e.path("decision").asText().equals(item.path("decision").asText())
        || !p.path("type").asText().equals(ip.path("type").asText())
        || !p.path("id").asText("").equals(ip.path("id").asText(""))
        || ("permit".equals(e.path("decision").asText()) && e.has("fields") && !e.get("fields").equals(item.path("fields")))) {
      return Optional.of("the server's summary differs from the signed entry");
    }
    return Optional.empty();
  }

  private static Optional<JsonNode> entry(JsonNode item) {
    try {
      byte[] raw = Base64.getDecoder().decode(item.get("entry").asText());
      JsonNode n = JSON.readTree(new String(raw, StandardCharsets.UTF_8));
      return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
    } catch (java.io.IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean containsText(JsonNode array, String value) {
    for (JsonNode v : array) {
      if (value.equals(v.asText())) {
        return true;
      }
    }
    return false;
  }

  /** The hashes of a proof path, or null when one is not 32 bytes of base64. */
  private static List<Hash> hashes(JsonNode array) {
    List<Hash> out = new ArrayList<>();
    for (JsonNode h : array) {
      try {
        byte[] b = Base64.getDecoder().decode(h.asText());
        if (b.length != Hash.SIZE) {
          return null;
        }
        out.add(new Hash(b));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return out;
  }
}
