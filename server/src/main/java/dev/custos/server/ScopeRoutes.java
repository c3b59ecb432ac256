package dev.custos.server;

import dev.custos.access.AccessLedger;
import dev.custos.access.CanonicalJson;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.ledger.LedgerException;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code GET /v1/scope}: the scope of a set of staff over a window, for security analysts, as JSON
 * or CSV ({@link ScopeDocuments}). Knowing whom an incident touched is itself recorded: a
 * {@code custos.incident/v1} entry with event {@code scope.read} (who asked, the staff, the window,
 * how many customers), durable before the answer leaves. For a security analyst's session, or a
 * service token of scope {@code incidents:scope} ({@code custos scope --url}), recorded as
 * {@code by: service-token:<id>}.
 */
final class ScopeRoutes {
  private static final String TAG = "incidents";
  static final String KIND = "custos.incident/v1";

  private ScopeRoutes() {}

  static List<ApiRoute> all(AccessIndexing indexing, AccessLedger ledger, StaffAuth auth, ServiceAuth service,
      InstantSource clock) {
    return List.of(
        ApiRoute.forStaffOrToken(io.javalin.http.HandlerType.GET, "/v1/scope", "scope",
            "The customers, fields (masked or revealed), times and counts by data category that the named staff saw "
                + "in a window: ?staff=a,b&from=ISO&to=ISO[&format=json|csv]; recorded in the ledger. For a "
                + "security analyst's session or a service token of scope incidents:scope (custos scope --url)",
            TAG, "application/json",
            Map.of(200, "The scope (JSON, or text/csv with format=csv)", 400, "A bad parameter (named)",
                503, "The ledger could not record the read or the index could not catch up"),
            auth, Set.of(Role.SECURITY_ANALYST), service, dev.custos.identity.Scope.INCIDENTS_SCOPE, (ctx, by) -> {
              ScopeQuery query;
              try {
                query = ScopeQuery.parse(ctx.queryParam("staff"), ctx.queryParam("from"), ctx.queryParam("to"));
              } catch (ScopeQuery.Invalid e) {
                throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, e.getMessage())
                    .with("parameter", e.field()));
              }
              String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
              if (!format.equals("json") && !format.equals("csv")) {
                throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, "format: json or csv")
                    .with("parameter", "format"));
              }
              AccessIndexing.ScopeReport report;
              try {
                report = indexing.scope(query.staff(), query.from(), query.to());
              } catch (LedgerException e) {
                throw new ApiException(Problem.of(ProblemType.LEDGER_UNAVAILABLE,
                    "the access index could not catch up with the ledger; retry shortly"));
              }
              byte[] entry = readEntry(by, query, report, clock);
              long index;
              try {
                index = ledger.append(entry).index();
              } catch (AccessLedger.Unavailable e) {
                throw new ApiException(Problem.of(ProblemType.LEDGER_UNAVAILABLE,
                    "the scope read could not be recorded in the ledger, so it is not shown; retry shortly"));
              }
              ctx.header("Custos-Ledger-Index", Long.toString(index));
              if (format.equals("csv")) {
                ctx.contentType("text/csv; charset=utf-8").result(ScopeDocuments.csv(report.scope(), report.customers()));
              } else {
                Map<String, Object> body = new java.util.LinkedHashMap<>(
                    ScopeDocuments.json(report.scope(), report.customers()));
                body.put("ledgerIndex", index);
                ctx.json(body);
              }
            }));
  }

  /** The {@code scope.read} entry: who asked ({@code by}), the staff and window, how many customers, the covered size. */
  static byte[] readEntry(String by, ScopeQuery query, AccessIndexing.ScopeReport report, InstantSource clock) {
    Map<String, Object> entry = new TreeMap<>();
    entry.put("kind", KIND);
    entry.put("event", "scope.read");
    entry.put("at", clock.instant().toString());
    entry.put("by", by);
    entry.put("staff", query.staff().stream().map(StaffId::value).sorted().toList());
    entry.put("from", query.from().toString());
    entry.put("to", query.to().toString());
    entry.put("customers", (long) report.scope().exposures().size());
    entry.put("coveredSize", report.scope().coveredSize());
    return CanonicalJson.encode(entry);
  }
}
