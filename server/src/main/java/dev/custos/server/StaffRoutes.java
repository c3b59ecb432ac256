package dev.custos.server;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.OtpauthUri;
import dev.custos.identity.OwnFactors;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffAdmin;
import dev.custos.identity.StaffDirectory;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Containment and one's own factors over HTTP: security suspends and restores staff
 * ({@link StaffAdmin}), everyone manages their own second factors ({@link OwnFactors}) after a
 * recent step-up.
 */
final class StaffRoutes {
  private static final String TAG = "staff";
  /** How recent a second factor must be to change factors or restore a colleague. */
  static final Duration STEP_UP_MAX_AGE = Duration.ofMinutes(5);

  record ReasonRequest(String reason) {
    ReasonRequest {
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException("reason is required");
      }
    }
  }

  record CodeRequest(String code) {
    CodeRequest {
      if (code == null || code.isBlank()) {
        throw new IllegalArgumentException("code is required");
      }
    }
  }

  /** {@code PUT /v1/staff/{id}/shift}: the text form of a shift, or null to clear it. */
  record ShiftRequest(String shift) {}

  /** {@code PUT /v1/staff/{id}/person}: the person key, or null to remove the link. */
  record PersonRequest(String person) {}

  private StaffRoutes() {}

  static List<ApiRoute> all(StaffAdmin admin, StaffDirectory directory, dev.custos.identity.PersonLinks persons,
      OwnFactors factors, StaffAuth auth) {
    return List.of(
        ApiRoute.get("/v1/staff", "listStaff", "Every staff account", TAG, "application/json",
            Map.of(200, "The accounts"),
            ctx -> ctx.json(Map.of("staff", directory.list().stream().map(StaffRoutes::view).toList())))
            .requiringStaffSession(auth, Set.of(Role.SECURITY_ANALYST, Role.ADMINISTRATOR)),
        ApiRoute.post("/v1/staff/{id}/suspend", "suspendStaff",
            "Contain a member of staff: suspended, every session revoked at once", TAG, "application/json",
            Map.of(200, "Suspended", 404, "No such account"),
            ctx -> {
              StaffAuth.StaffContext c = StaffAuth.context(ctx);
              ReasonRequest req = Json.read(ctx, ReasonRequest.class);
              StaffId id = staffId(ctx);
              Integer revoked = done(admin.suspend(id, req.reason(), "staff:" + c.account().id()));
              ctx.json(Map.of("staff", id.value(), "status", "suspended", "sessionsRevoked", revoked));
            })
            .requiringStaffSession(auth, Set.of(Role.SECURITY_ANALYST, Role.ADMINISTRATOR)),
        ApiRoute.post("/v1/staff/{id}/restore", "restoreStaff",
            "Lift a containment (a security analyst, with a reason and a recent step-up)", TAG, "application/json",
            Map.of(200, "Restored", 404, "No such account", 409, "Not suspended"),
            ctx -> {
              StaffAuth.StaffContext c = StaffAuth.context(ctx);
              auth.requireRecentMfa(c, STEP_UP_MAX_AGE);
              ReasonRequest req = Json.read(ctx, ReasonRequest.class);
              StaffAccount restored = done(admin.restore(staffId(ctx), req.reason(), c.account().id(),
                  "staff:" + c.account().id()));
              ctx.json(view(restored));
            })
            .requiringStaffSession(auth, Set.of(Role.SECURITY_ANALYST)),
        ApiRoute.put("/v1/staff/{id}/shift", "setStaffShift",
            "Set when a member of staff works ({\"shift\":\"mon-fri 09:00-17:00 Europe/Berlin\"}), or clear it "
                + "({\"shift\":null}); recorded in the ledger", TAG, "application/json",
            Map.of(200, "The account with its shift", 400, "The shift is malformed (field shift)", 404, "No such account"),
            ctx -> {
              StaffAuth.StaffContext c = StaffAuth.context(ctx);
              ShiftRequest req = Json.read(ctx, ShiftRequest.class);
              java.util.Optional<dev.custos.access.Shift> shift;
              try {
                shift = req.shift() == null ? java.util.Optional.empty()
                    : java.util.Optional.of(dev.custos.access.Shift.parse(req.shift()));
              } catch (IllegalArgumentException e) {
                throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, e.getMessage()).with("field", "shift"));
              }
              ctx.json(view(done(admin.setShift(staffId(ctx), shift, "staff:" + c.account().id()))));
            })
            .requiringStaffSession(auth, Set.of(Role.SECURITY_ANALYST, Role.ADMINISTRATOR)),
        ApiRoute.put("/v1/staff/{id}/person", "linkStaffPerson",
            "Link an account to the person behind it ({\"person\":\"E-1042\"}), or remove the link ({\"person\":null}): "
                + "accounts of one person count once for approvals and never approve each other; recorded in the ledger",
            TAG, "application/json",
            Map.of(200, "The person the account now counts as", 400, "The person key is malformed (field person)",
                404, "No such account"),
            ctx -> {
              StaffAuth.StaffContext c = StaffAuth.context(ctx);
              auth.requireRecentMfa(c, STEP_UP_MAX_AGE);
              PersonRequest req = Json.read(ctx, PersonRequest.class);
              StaffId id = staffId(ctx);
              String person = done(admin.linkPerson(persons, id, java.util.Optional.ofNullable(req.person()),
                  "staff:" + c.account().id()));
              ctx.json(Map.of("staff", id.value(), "person", person));
            })
            .requiringStaffSession(auth, Set.of(Role.ADMINISTRATOR)),
        ApiRoute.get("/v1/me/factors", "myFactors", "My second factors", TAG, "application/json",
            Map.of(200, "The factors"),
            ctx -> {
              OwnFactors.Summary s = factors.summary(StaffAuth.context(ctx).account().id());
              ctx.json(Map.of("factors", s.factors().stream().map(f -> f.wireName()).toList(),
                  "recoveryCodesLeft", s.recoveryCodesLeft()));
            })
            .requiringStaffSession(auth, Set.of()),
        ApiRoute.post("/v1/me/factors/totp", "beginTotpEnrolment",
            "Start enrolling an authenticator app (after a recent step-up)", TAG, "application/json",
            Map.of(200, "The otpauth URI to scan; confirm with a code"),
            ctx -> {
              StaffAuth.StaffContext c = StaffAuth.context(ctx);
              auth.requireRecentMfa(c, STEP_UP_MAX_AGE);
              OtpauthUri uri = factors.beginTotp(c.account().id());
              ctx.json(Map.of("otpauthUri", uri.revealText(), "secret", uri.secret().revealBase32()));
            })
            .requiringStaffSession(auth, Set.of()),
        ApiRoute.post("/v1/me/factors/totp/confirm", "confirmTotpEnrolment",
            "Confirm the new authenticator with a code it shows", TAG, "application/json",
            Map.of(204, "Enrolled"),
            ctx -> {
              StaffAuth.StaffContext c = StaffAuth.context(ctx);
              change(ctx, factors.confirmTotp(c.account().id(), Json.read(ctx, CodeRequest.class).code()), 204);
            })
            .requiringStaffSession(auth, Set.of()),
        ApiRoute.delete("/v1/me/factors/totp", "removeTotp", "Remove my authenticator app (not my last factor)", TAG,
            "application/json", Map.of(204, "Removed", 409, "It is the last second factor"),
            ctx -> {
              StaffAuth.StaffContext c = StaffAuth.context(ctx);
              auth.requireRecentMfa(c, STEP_UP_MAX_AGE);
              change(ctx, factors.removeTotp(c.account().id()), 204);
            })
            .requiringStaffSession(auth, Set.of()),
        ApiRoute.post("/v1/me/recovery-codes", "renewRecoveryCodes", "Replace my recovery codes (shown once)", TAG,
            "application/json", Map.of(200, "The new codes"),
            ctx -> {
              StaffAuth.StaffContext c = StaffAuth.context(ctx);
              auth.requireRecentMfa(c, STEP_UP_MAX_AGE);
              ctx.json(Map.of("recoveryCodes", factors.renewRecoveryCodes(c.account().id()).revealCodes()));
            })
            .requiringStaffSession(auth, Set.of()));
  }

  static Map<String, Object> view(StaffAccount a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id().value());
    m.put("displayName", a.displayName());
    m.put("roles", a.roles().stream().map(Role::wireName).sorted().toList());
    a.team().ifPresent(t -> m.put("team", t));
    m.put("origin", a.origin().name().toLowerCase(java.util.Locale.ROOT));
    m.put("status", a.status().name().toLowerCase(java.util.Locale.ROOT));
    a.statusReason().ifPresent(r -> m.put("statusReason", r));
    m.put("createdAt", a.createdAt().toString());
    a.shift().ifPresent(s -> m.put("shift", s.toString()));
    return m;
  }

  private static StaffId staffId(Context ctx) {
    try {
      return StaffId.parse(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, e.getMessage()).with("parameter", "id"));
    }
  }

  /** The value of a done outcome; a problem for the others. */
  static <T> T done(StaffAdmin.Outcome<T> outcome) {
    return switch (outcome) {
      case StaffAdmin.Outcome.Done<T> d -> d.value();
      case StaffAdmin.Outcome.NotFound<T> n ->
          throw new ApiException(Problem.of(ProblemType.NOT_FOUND, "no staff account " + n.id()));
      case StaffAdmin.Outcome.Refused<T> r -> throw new ApiException(
          Problem.of(r.field().equals("id") ? ProblemType.CONFLICT : ProblemType.INVALID_FIELD, r.message())
              .with("field", r.field()));
    };
  }

  /** Answers {@code status} for a done change; 409 for a rule on factors, 404 for an unknown id, 400 otherwise. */
  static void change(Context ctx, OwnFactors.Change change, int status) {
    switch (change) {
      case OwnFactors.Change.Done d -> ctx.status(status);
      case OwnFactors.Change.Refused r -> throw new ApiException(switch (r.field()) {
        case "factor" -> Problem.of(ProblemType.CONFLICT, r.message()).with("field", r.field());
        case "id" -> Problem.of(ProblemType.NOT_FOUND, r.message());
        default -> Problem.of(ProblemType.INVALID_FIELD, r.message()).with("field", r.field());
      });
    }
  }
}
