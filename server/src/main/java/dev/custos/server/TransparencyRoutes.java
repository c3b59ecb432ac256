package dev.custos.server;

import dev.custos.identity.oidc.CustomerTokens;
import dev.custos.ledger.ConsistencyProof;
import dev.custos.ledger.Hash;
import dev.custos.transparency.AccessLog;
import dev.custos.transparency.AccessLogItem;
import dev.custos.transparency.AccessLogs;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Customer transparency over HTTP: {@code GET /v1/me/access-log} for a customer holding a token of
 * the exchange's own login, and the page {@code /me} that verifies that log in the browser.
 */
final class TransparencyRoutes {
  private static final Logger securityLog = LoggerFactory.getLogger("custos.security");
  private static final String TAG = "transparency";
  /** The one answer to every authentication problem: which check failed is for the server log only. */
  private static final String NOT_AUTHENTICATED = "a valid customer token of this exchange is required (Authorization: Bearer)";

  private TransparencyRoutes() {}

  static List<ApiRoute> all(Optional<CustomerTokens> tokens, AccessLogs logs, ReadingLimit limit, Witnessing witnessing) {
    return List.of(
        ApiRoute.get("/v1/me/access-log", "customerAccessLog",
            "The calling customer's access log (Authorization: Bearer <customer JWT of the exchange's login>): "
                + "every access to their data and every refused attempt, each with its ledger entry and an inclusion "
                + "proof against the latest signed checkpoint; with ?since=<size>, a consistency proof from the "
                + "checkpoint of that size", TAG, "application/json",
            Map.of(200, "The log, the signed checkpoint (with the witnesses' cosignatures of it, if any), the verifier "
                    + "key, the configured witnesses' keys and the customer's commitment salt",
                400, "since is not a tree size from 1 to the checkpoint's", 401, "No valid customer token",
                404, "This exchange holds no data of the customer",
                429, "More than " + ReadingLimit.PER_HOUR + " readings in an hour (Retry-After)", 503, "The ledger could not prove or record the reading"),
            ctx -> accessLog(ctx, tokens, logs, limit, witnessing)),
        ApiRoute.get("/me", "customerPage", "The page on which customers verify their access log in the browser",
            TAG, "text/html", Map.of(200, "HTML"), SystemRoutes.resource("me.html", "text/html; charset=utf-8", false)),
        ApiRoute.get("/assets/me.js", "customerPageScript", "The customer page's script (WebCrypto verification)",
            TAG, "text/javascript", Map.of(200, "JavaScript"),
            SystemRoutes.resource("me.js", "text/javascript; charset=utf-8", true)),
        ApiRoute.get("/assets/me.css", "customerPageStyle", "The customer page's stylesheet", TAG, "text/css",
            Map.of(200, "CSS"), SystemRoutes.resource("me.css", "text/css; charset=utf-8", true)));
  }

  private static void accessLog(Context ctx, Optional<CustomerTokens> tokens, AccessLogs logs, ReadingLimit limit,
      Witnessing witnessing) {
    CustomerTokens.Authenticated who = authenticate(ctx, tokens);
    Optional<Long> since = since(ctx);
    java.util.OptionalLong wait = limit.tryAcquire(who.customer());
    if (wait.isPresent()) {
      ctx.header("Retry-After", Long.toString(wait.getAsLong()));
      throw new ApiException(Problem.of(ProblemType.QUOTA_EXCEEDED, "at most " + ReadingLimit.PER_HOUR
          + " readings of your access log in any hour").with("quota", "customer-readings-per-hour")
          .with("retryAfter", wait.getAsLong()));
    }
    switch (logs.read(who.customer(), since)) {
      case AccessLogs.Found f -> ctx.json(body(f.log(), witnessing.cosigned(f.log().checkpoint()), witnessing.keys()));
      case AccessLogs.UnknownCustomer u ->
          throw new ApiException(Problem.of(ProblemType.NOT_FOUND, "this exchange holds no data of yours"));
      case AccessLogs.BadSince b -> throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER,
          "query parameter 'since' must be a tree size from 1 to " + b.treeSize()).with("parameter", "since"));
      case AccessLogs.LedgerUnavailable l -> {
        securityLog.error("a customer's access log was not handed out: {}", l.why());
        throw new ApiException(Problem.of(ProblemType.LEDGER_UNAVAILABLE,
            "the ledger cannot prove or record this reading right now; try again shortly"));
      }
    }
  }

  /**
   * The customer the request's bearer token names; any problem (none configured, no token, a token
   * refused, the key set unreachable) is the same 401, the reason only in the security log.
   */
  static CustomerTokens.Authenticated authenticate(Context ctx, Optional<CustomerTokens> tokens) {
    String header = ctx.header("Authorization");
    CustomerTokens.Result result;
    if (tokens.isEmpty()) {
      result = new CustomerTokens.Refused("customer transparency is not configured (customer.jwks)");
    } else if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      result = new CustomerTokens.Refused("no bearer token");
    } else {
      result = tokens.get().check(header.substring(7).strip());
    }
    return switch (result) {
      case CustomerTokens.Authenticated a -> a;
      case CustomerTokens.Refused r -> {
        securityLog.info("customer token refused on {}: {}", HttpApi.requestId(ctx), r.why());
        ctx.header("WWW-Authenticate", "Bearer realm=\"custos\"");
        throw new ApiException(Problem.of(ProblemType.UNAUTHORIZED, NOT_AUTHENTICATED));
      }
      case CustomerTokens.Unavailable u -> {
        securityLog.warn("customer token not checked on {}: the key set could not be fetched", HttpApi.requestId(ctx));
        ctx.header("WWW-Authenticate", "Bearer realm=\"custos\"");
        throw new ApiException(Problem.of(ProblemType.UNAUTHORIZED, NOT_AUTHENTICATED));
      }
    };
  }

  private static Optional<Long> since(Context ctx) {
    String v = ctx.queryParam("since");
    if (v == null) {
      return Optional.empty();
    }
    if (!v.matches("[0-9]{1,18}")) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER,
          "query parameter 'since' must be a tree size (a positive integer)").with("parameter", "since"));
    }
    return Optional.of(Long.parseLong(v));
  }

  /**
   * The access log document. {@code checkpoint} is the log's checkpoint as served (the same tree, with
   * whatever witness cosignature lines it carries); {@code witnesses} are the configured witnesses'
   * cosigner keys, published so the page can check those lines (a customer who wants independence from
   * this exchange pins the witness keys themselves).
   */
  static Map<String, Object> body(AccessLog log, dev.custos.ledger.SignedCheckpoint checkpoint,
      List<dev.custos.ledger.NoteVerifier> witnesses) {
    if (!checkpoint.checkpoint().equals(log.checkpoint().checkpoint())) {
      throw new IllegalArgumentException("the served checkpoint is not the access log's");
    }
    Base64.Encoder b64 = Base64.getEncoder();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("customer", log.customer().value());
    m.put("commitment", log.commitment().hex());
    m.put("salt", b64.encodeToString(log.salt().revealBytes()));
    m.put("verifierKey", log.verifierKey().encoded());
    m.put("checkpoint", checkpoint.text());
    List<Map<String, Object>> keys = new ArrayList<>();
    for (dev.custos.ledger.NoteVerifier w : witnesses) {
      keys.add(Map.of("name", w.name(), "key", w.encoded()));
    }
    m.put("witnesses", keys);
    m.put("treeSize", log.checkpoint().checkpoint().size());
    m.put("indexedSize", log.indexedSize());
    m.put("readIndex", log.readIndex());
    if (log.consistency().isPresent()) {
      ConsistencyProof p = log.consistency().get();
      m.put("consistency", Map.of("from", p.oldSize(), "to", p.newSize(), "path", p.path().stream().map(Hash::base64).toList()));
    }
    List<Map<String, Object>> items = new ArrayList<>();
    for (AccessLogItem i : log.items()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("index", i.ledgerIndex());
      item.put("at", i.at().toString());
      item.put("staff", i.staff());
      item.put("team", i.team().orElse(null));
      item.put("action", i.action());
      Map<String, Object> purpose = new LinkedHashMap<>();
      purpose.put("type", i.purposeType());
      purpose.put("id", i.purposeId().orElse(null));
      item.put("purpose", purpose);
      item.put("decision", i.permitted() ? "permit" : "deny");
      i.denyReason().ifPresent(r -> item.put("deny", r));
      item.put("fields", new java.util.TreeMap<>(i.fields()));
      item.put("entry", b64.encodeToString(i.entry()));
      item.put("inclusion", i.inclusion().path().stream().map(Hash::base64).toList());
      items.add(item);
    }
    m.put("items", items);
    return m;
  }
}
