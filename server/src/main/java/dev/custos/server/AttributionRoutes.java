package dev.custos.server;

import dev.custos.access.AccessLedger;
import dev.custos.access.Role;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Leak attribution over HTTP, for security analysts: {@code POST /v1/incidents/{id}/attribute} (the
 * incident id is taken as given until the incident store is wired in) and {@code POST /v1/attribution}
 * for a sample outside any incident. Each attribution is a {@code custos.incident/v1} ledger entry
 * written before the answer.
 */
final class AttributionRoutes {
  private static final String TAG = "incidents";
  static final Set<Role> ANALYSTS = Set.of(Role.SECURITY_ANALYST);
  private static final Pattern INCIDENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
  /** The sample is text in a JSON body; a body is at most the HTTP layer's limit, this bounds the sample itself. */
  static final int MAX_SAMPLE_CHARS = 8 * 1024 * 1024;

  /**
   * The body: {@code sample} the published records (JSON lines or CSV with a header, as text),
   * {@code watermarks} codes read from leaked pictures, {@code from}/{@code to} an optional window
   * (ISO-8601), {@code limit} how many staff and sessions (default 20).
   */
  record Body(String sample, List<String> watermarks, String from, String to, Integer limit) {}

  private AttributionRoutes() {}

  static List<ApiRoute> all(LeakAttribution attribution, StaffAuth auth, ServiceAuth service) {
    Map<Integer, String> responses = Map.of(200, "Staff and sessions ranked by how well their accesses explain the sample",
        400, "A bad sample (its line named), watermark, window or limit (field named)",
        503, "The attribution could not be recorded in the ledger; nothing was answered");
    return List.of(
        analystOrToken("/v1/incidents/{id}/attribute", "attributeLeak",
            "Attribute a leaked sample to the staff and sessions that saw it: {\"sample\":\"…\",\"watermarks\":[…],"
                + "\"from\",\"to\",\"limit\"}", responses, auth, service,
            (ctx, by) -> answer(ctx, attribution, incident(ctx.pathParam("id")), by)),
        analystOrToken("/v1/attribution", "attributeSample",
            "Attribute a leaked sample outside any incident (recorded with incident \"-\")", responses, auth, service,
            (ctx, by) -> answer(ctx, attribution, "-", by)));
  }

  /**
   * A route for a security analyst's session (with its CSRF token) or a service token of scope
   * {@code incidents:attribute} ({@code Authorization: Bearer}, for {@code custos attribute --url}).
   */
  private static ApiRoute analystOrToken(String path, String operationId, String summary, Map<Integer, String> responses,
      StaffAuth auth, ServiceAuth service, ApiRoute.Answer answer) {
    return ApiRoute.forStaffOrToken(io.javalin.http.HandlerType.POST, path, operationId, summary, TAG,
        "application/json", responses, auth, ANALYSTS, service, dev.custos.identity.Scope.INCIDENTS_ATTRIBUTE, answer);
  }

  private static String incident(String id) {
    if (id == null || !INCIDENT.matcher(id).matches()) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER,
          "id: 1 to 64 letters, digits and . _ : -, starting with a letter or digit").with("parameter", "id"));
    }
    return id;
  }

  private static void answer(Context ctx, LeakAttribution attribution, String incident, String by) throws Exception {
    Body body = Json.read(ctx, Body.class);
    if (body.sample() == null || body.sample().isBlank()) {
      if (body.watermarks() == null || body.watermarks().isEmpty()) {
        throw field("sample", "sample is required (the published records as text), or watermarks");
      }
    }
    if (body.sample() != null && body.sample().length() > MAX_SAMPLE_CHARS) {
      throw field("sample", "sample is at most " + MAX_SAMPLE_CHARS + " characters; attribute a sample of the leak");
    }
    LeakAttribution.Request request = new LeakAttribution.Request(
        body.sample() == null || body.sample().isBlank() ? "" : body.sample(),
        body.watermarks() == null ? List.of() : body.watermarks(), instant("from", body.from()), instant("to", body.to()),
        body.limit() == null ? 20 : body.limit());
    try {
      ctx.json(attribution.attribute(incident, by, request));
    } catch (LeakAttribution.BadInput e) {
      throw field(e.field, e.getMessage());
    } catch (AccessLedger.Unavailable e) {
      throw new ApiException(Problem.of(ProblemType.LEDGER_UNAVAILABLE,
          "the attribution could not be recorded in the ledger, so nothing is answered; retry shortly"));
    }
  }

  private static Optional<Instant> instant(String name, String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text.strip()));
    } catch (DateTimeParseException e) {
      throw field(name, name + " must be an ISO-8601 instant such as 2026-11-01T00:00:00Z");
    }
  }

  private static ApiException field(String name, String why) {
    return new ApiException(Problem.of(ProblemType.INVALID_FIELD, why).with("field", name));
  }
}
