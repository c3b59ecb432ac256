package dev.custos.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.identity.OwnFactors;
import dev.custos.identity.Parsed;
import dev.custos.identity.Sessions;
import dev.custos.identity.webauthn.CredentialId;
import dev.custos.identity.webauthn.RegistrationStart;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registering and removing one's own security keys and passkeys (WebAuthn), after a recent
 * step-up. The registration request stays in the session (server side) between the two calls.
 */
final class WebAuthnRoutes {
  private static final String TAG = "staff";

  record RegisterRequest(JsonNode credential, String nickname) {
    RegisterRequest {
      if (credential == null || !credential.isObject()) {
        throw new IllegalArgumentException("credential must be the PublicKeyCredential as a JSON object");
      }
      if (nickname == null || nickname.isBlank()) {
        throw new IllegalArgumentException("nickname is required, e.g. 'office key'");
      }
    }
  }

  private WebAuthnRoutes() {}

  static List<ApiRoute> all(OwnFactors factors, Sessions sessions, StaffAuth auth) {
    return List.of(
        ApiRoute.get("/v1/me/factors/webauthn", "myWebAuthnCredentials", "My security keys and passkeys", TAG,
            "application/json", Map.of(200, "The credentials (public material only)"),
            ctx -> ctx.json(Map.of("credentials", factors.webAuthnCredentials(StaffAuth.context(ctx).account().id())
                .stream().map(c -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("id", c.credentialId().base64Url());
                  m.put("nickname", c.nickname());
                  m.put("createdAt", c.createdAt().toString());
                  c.lastUsedAt().ifPresent(t -> m.put("lastUsedAt", t.toString()));
                  return m;
                }).toList())))
            .requiringStaffSession(auth, Set.of()),
        ApiRoute.post("/v1/me/factors/webauthn/options", "beginWebAuthnRegistration",
            "Options for navigator.credentials.create() (after a recent step-up)", TAG, "application/json",
            Map.of(200, "The creation options", 409, "Too many credentials"),
            ctx -> {
              StaffAuth.StaffContext c = StaffAuth.context(ctx);
              auth.requireRecentMfa(c, StaffRoutes.STEP_UP_MAX_AGE);
              switch (factors.beginWebAuthn(c.account().id(), c.account().displayName())) {
                case RegistrationStart.Ready r -> {
                  if (!sessions.setPending(c.secret(), r.requestJson())) {
                    throw new ApiException(Problem.of(ProblemType.UNAUTHORIZED, "log in first"));
                  }
                  ctx.contentType("application/json").result(r.optionsJson());
                }
                case RegistrationStart.Refused r when r.reason() == RegistrationStart.Reason.UNAVAILABLE ->
                    throw new ApiException(Problem.of(ProblemType.NOT_READY, "registration is unavailable; retry later"));
                case RegistrationStart.Refused r -> throw new ApiException(Problem.of(ProblemType.CONFLICT,
                    "a security key cannot be added: " + r.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')));
              }
            })
            .requiringStaffSession(auth, Set.of()),
        ApiRoute.post("/v1/me/factors/webauthn", "finishWebAuthnRegistration",
            "Register the security key or passkey the browser created", TAG, "application/json",
            Map.of(201, "Registered"),
            ctx -> {
              StaffAuth.StaffContext c = StaffAuth.context(ctx);
              auth.requireRecentMfa(c, StaffRoutes.STEP_UP_MAX_AGE);
              RegisterRequest req = Json.read(ctx, RegisterRequest.class);
              String request = c.session().pending();
              if (request.isEmpty()) {
                throw new ApiException(Problem.of(ProblemType.CONFLICT,
                    "no registration is under way; ask for options first").with("field", "credential"));
              }
              sessions.setPending(c.secret(), "");
              StaffRoutes.change(ctx, factors.finishWebAuthn(c.account().id(), request, req.credential().toString(), req.nickname()), 201);
            })
            .requiringStaffSession(auth, Set.of()),
        ApiRoute.delete("/v1/me/factors/webauthn/{id}", "removeWebAuthnCredential",
            "Remove one of my security keys (not my last second factor)", TAG, "application/json",
            Map.of(204, "Removed", 404, "No such credential of mine", 409, "It is the last second factor"),
            ctx -> {
              StaffAuth.StaffContext c = StaffAuth.context(ctx);
              auth.requireRecentMfa(c, StaffRoutes.STEP_UP_MAX_AGE);
              CredentialId id = switch (CredentialId.parse(ctx.pathParam("id"))) {
                case Parsed.Valid<CredentialId> v -> v.value();
                case Parsed.Invalid<CredentialId> i -> throw new ApiException(
                    Problem.of(ProblemType.INVALID_PARAMETER, i.problem()).with("parameter", "id"));
              };
              StaffRoutes.change(ctx, factors.removeWebAuthn(c.account().id(), id), 204);
            })
            .requiringStaffSession(auth, Set.of()));
  }
}
