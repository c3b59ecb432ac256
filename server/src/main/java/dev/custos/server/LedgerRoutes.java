package dev.custos.server;

import dev.custos.ledger.ConsistencyProof;
import dev.custos.ledger.Hash;
import dev.custos.ledger.InclusionProof;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.ledger.SignedCheckpoint;
import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.identity.Scope;
import dev.custos.identity.ServiceToken;
import dev.custos.ledger.Receipt;
import io.javalin.http.Context;
import java.time.InstantSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ledger over HTTP, read-only: the C2SP tlog-tiles resources under {@code /ledger/} (served
 * from the ledger directory, full tiles cacheable forever) and JSON proofs under
 * {@code /v1/ledger/}.
 */
final class LedgerRoutes {
  /** tlog-tiles resource paths: hash tiles, entry bundles, each optionally partial. */
  private static final Pattern TILE = Pattern.compile(
      "tile/(?<level>[0-9]|entries)/(?<index>(?:x[0-9]{3}/)*[0-9]{3})(?<partial>\\.p/(?<width>[0-9]{1,3}))?");
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private LedgerRoutes() {}

  static List<ApiRoute> all(Ledger ledger, Path dir, ServiceAuth auth, Witnessing witnessing, InstantSource clock) {
    return List.of(
        ApiRoute.get("/v1/ledger/witnesses", "ledgerWitnesses",
            "The configured witnesses: the largest size each has cosigned, when, and its last problem", "ledger",
            "application/json", Map.of(200, "Witness status"),
            ctx -> ctx.json(Map.of("witnesses", witnessing.status()))),
        ApiRoute.post("/v1/ledger/entries", "ledgerAppendEntry",
            "Append an audit entry of another internal system (a JSON object); answers once it is durable", "ledger",
            "application/json", Map.of(201, "Durable: the entry's index and leaf hash", 400, "Not a JSON object",
                413, "Entry larger than the ledger holds", 415, "Not application/json"),
            ctx -> appendEntry(ctx, ledger, clock)).requiringServiceTokenRecordedByHandler(auth, Scope.LEDGER_APPEND),
        ApiRoute.get("/ledger/checkpoint", "ledgerCheckpoint",
            "The latest signed checkpoint (C2SP tlog-checkpoint in a signed note, Ed25519) with the cosignatures "
                + "of the witnesses that have cosigned it (C2SP tlog-cosignature)", "ledger",
            "text/plain; charset=utf-8", Map.of(200, "Signed checkpoint"),
            ctx -> {
              Witnessing.Served served = witnessing.served();
              ctx.header("Cache-Control", "no-cache").contentType("text/plain; charset=utf-8");
              ctx.header("Custos-Cosignatures", served.cosignatures() + "/" + witnessing.configured());
              ctx.result(served.checkpoint().bytes());
            }),
        ApiRoute.get("/ledger/vkey", "ledgerVerifierKey", "The checkpoint verifier key in note verifier-key format",
            "ledger", "text/plain; charset=utf-8", Map.of(200, "Verifier key"),
            ctx -> ctx.header("Cache-Control", "public, max-age=3600").contentType("text/plain; charset=utf-8")
                .result(ledger.verifierKey().encoded() + "\n")),
        ApiRoute.get("/ledger/tile/*", "ledgerTile",
            "A C2SP tlog-tiles resource: tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]", "ledger",
            "application/octet-stream", Map.of(200, "Tile or entry bundle", 404, "No such tile"),
            ctx -> tile(ctx, dir)),
        ApiRoute.get("/v1/ledger/proof/inclusion", "ledgerInclusionProof",
            "RFC 9162 inclusion proof of the entry at index in the tree of size (at most the latest checkpoint)",
            "ledger", "application/json", Map.of(200, "Inclusion proof", 400, "Bad index or size"),
            ctx -> inclusion(ctx, ledger)),
        ApiRoute.get("/v1/ledger/proof/consistency", "ledgerConsistencyProof",
            "RFC 9162 consistency proof between two tree sizes (at most the latest checkpoint)", "ledger",
            "application/json", Map.of(200, "Consistency proof", 400, "Bad sizes"),
            ctx -> consistency(ctx, ledger)));
  }

  private static void tile(Context ctx, Path dir) throws IOException {
    String rest = ctx.path().substring("/ledger/".length());
    Matcher m = TILE.matcher(rest);
    if (!m.matches()) {
      throw new ApiException(Problem.of(ProblemType.NOT_FOUND, "not a tlog-tiles path: " + safe(rest)));
    }
    if (m.group("width") != null) {
      int w = Integer.parseInt(m.group("width"));
      if (w < 1 || w > 255) {
        throw new ApiException(Problem.of(ProblemType.NOT_FOUND, "partial tile width must be 1..255"));
      }
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(dir.resolve(rest));
    } catch (NoSuchFileException e) {
      throw new ApiException(Problem.of(ProblemType.NOT_FOUND, "no such tile: " + rest));
    }
    ctx.header("Cache-Control", m.group("partial") == null ? IMMUTABLE : "public, max-age=60");
    ctx.contentType("application/octet-stream").result(bytes);
  }

  /**
   * Records the entry wrapped with its source (the service token) and the time Custos received it,
   * so that one integration cannot write entries that look like another's. The caller's JSON is
   * parsed only to check it (strictly: one object, no duplicate keys) and embedded byte for byte,
   * so no number or string is ever rewritten.
   */
  private static void appendEntry(Context ctx, Ledger ledger, InstantSource clock) throws Exception {
    ServiceToken token = ctx.attribute(ServiceAuth.ATTRIBUTE);
    Json.requireJsonBody(ctx);
    byte[] raw = ctx.bodyAsBytes();
    JsonNode entry = Json.parse(raw, JsonNode.class);
    if (!entry.isObject()) {
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "the entry must be a JSON object, not "
          + entry.getNodeType().name().toLowerCase(java.util.Locale.ROOT)).with("field", "entry"));
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length + 200);
    try (com.fasterxml.jackson.core.JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("kind", "custos.external/v1");
      g.writeObjectFieldStart("source");
      g.writeStringField("token", token.id());
      g.writeStringField("name", token.name());
      g.writeEndObject();
      g.writeStringField("receivedAt", clock.instant().toString());
      g.writeFieldName("entry");
      g.writeRawValue(new String(raw, java.nio.charset.StandardCharsets.UTF_8).strip());
      g.writeEndObject();
    }
    byte[] bytes = out.toByteArray();
    if (bytes.length > Ledger.MAX_ENTRY_BYTES) {
      throw new ApiException(Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "the entry is " + bytes.length
          + " bytes with its source; the ledger holds at most " + Ledger.MAX_ENTRY_BYTES).with("field", "entry"));
    }
    Receipt receipt = ledger.append(bytes);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("index", receipt.index());
    body.put("leafHash", receipt.leafHash().base64());
    body.put("entry", java.util.Base64.getEncoder().encodeToString(bytes));
    ctx.status(201).json(body);
  }

  private static void inclusion(Context ctx, Ledger ledger) throws LedgerException {
    long size = sizeParam(ctx, "size", ledger);
    long index = longParam(ctx, "index");
    if (index >= size) {
      throw invalid("index", "must be less than size (" + size + ")");
    }
    InclusionProof proof = ledger.inclusionProof(index, size);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("index", proof.leafIndex());
    body.put("size", proof.treeSize());
    body.put("path", proof.path().stream().map(Hash::base64).toList());
    body.put("checkpoint", ledger.latestCheckpoint().text());
    ctx.json(body);
  }

  private static void consistency(Context ctx, Ledger ledger) throws LedgerException {
    long to = sizeParam(ctx, "to", ledger);
    long from = longParam(ctx, "from");
    if (from > to) {
      throw invalid("from", "must be at most to (" + to + ")");
    }
    ConsistencyProof proof = ledger.consistencyProof(from, to);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", proof.oldSize());
    body.put("to", proof.newSize());
    body.put("path", proof.path().stream().map(Hash::base64).toList());
    body.put("checkpoint", ledger.latestCheckpoint().text());
    ctx.json(body);
  }

  private static long sizeParam(Context ctx, String name, Ledger ledger) {
    long size = longParam(ctx, name);
    SignedCheckpoint latest = ledger.latestCheckpoint();
    long published = latest.checkpoint().size();
    if (size < 1 || size > published) {
      throw invalid(name, "must be 1.." + published + " (the latest checkpoint's size)");
    }
    return size;
  }

  private static long longParam(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      throw invalid(name, "is required");
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw invalid(name, "must not be negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw invalid(name, "must be a non-negative integer");
    }
  }

  private static ApiException invalid(String name, String why) {
    return new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, "query parameter '" + name + "' " + why)
        .with("parameter", name));
  }

  private static String safe(String s) {
    String p = s.replaceAll("[^A-Za-z0-9/._\\-]", "?");
    return p.length() > 80 ? p.substring(0, 77) + "..." : p;
  }
}
