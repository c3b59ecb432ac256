package dev.custos.server;

import dev.custos.identity.Scope;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP route with the description that {@code /openapi.json} publishes. Routes are registered
 * only through this record, so the published description cannot omit a route.
 *
 * @param method the HTTP method
 * @param path the path template, with {@code {name}} parameters
 * @param operationId a stable identifier for clients
 * @param summary one line for people
 * @param tag the group the route belongs to
 * @param produces the media type of a successful response
 * @param responses status code to description
 * @param handler the code that answers
 * @param serviceScope the service-token scope the route demands, if it is for integrations
 * @param staffSession whether the route demands a staff session cookie (and, for unsafe methods, the CSRF header)
 */
public record ApiRoute(HandlerType method, String path, String operationId, String summary, String tag,
    String produces, Map<Integer, String> responses, Handler handler, Optional<Scope> serviceScope,
    boolean staffSession) {
  public ApiRoute {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(operationId, "operationId");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(produces, "produces");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(serviceScope, "serviceScope");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /: " + path);
    }
    if (responses.isEmpty()) {
      throw new IllegalArgumentException("a route must document at least one response: " + path);
    }
    responses = Map.copyOf(responses);
  }

  public static ApiRoute get(String path, String operationId, String summary, String tag, String produces,
      Map<Integer, String> responses, Handler handler) {
    return new ApiRoute(HandlerType.GET, path, operationId, summary, tag, produces, responses, handler, Optional.empty(), false);
  }

  public static ApiRoute post(String path, String operationId, String summary, String tag, String produces,
      Map<Integer, String> responses, Handler handler) {
    return new ApiRoute(HandlerType.POST, path, operationId, summary, tag, produces, responses, handler, Optional.empty(), false);
  }

  public static ApiRoute put(String path, String operationId, String summary, String tag, String produces,
      Map<Integer, String> responses, Handler handler) {
    return new ApiRoute(HandlerType.PUT, path, operationId, summary, tag, produces, responses, handler, Optional.empty(), false);
  }

  /**
   * This route for integrations only: every request must carry a service token with {@code scope}
   * ({@code Authorization: Bearer cst_...}), checked before the handler runs, and the published
   * description says so. Declaring the scope and enforcing it are one step, so they cannot differ.
   */
  public static ApiRoute delete(String path, String operationId, String summary, String tag, String produces,
      Map<Integer, String> responses, Handler handler) {
    return new ApiRoute(HandlerType.DELETE, path, operationId, summary, tag, produces, responses, handler, Optional.empty(), false);
  }

  /**
   * This route for staff only: every request must carry a live, complete session cookie of a person
   * holding one of {@code anyOf} (any role when empty), and unsafe methods the session's CSRF token,
   * checked before the handler runs; the handler finds the {@link StaffAuth.StaffContext} with
   * {@link StaffAuth#context}.
   */
  public ApiRoute requiringStaffSession(StaffAuth auth, java.util.Set<dev.custos.access.Role> anyOf) {
    Map<Integer, String> documented = new java.util.HashMap<>(responses);
    documented.putIfAbsent(401, "No live staff session");
    documented.putIfAbsent(403, "Missing role or CSRF token, or the account is suspended");
    Handler inner = handler;
    return new ApiRoute(method, path, operationId, summary, tag, produces, documented, ctx -> {
      ctx.attribute(StaffAuth.ATTRIBUTE, auth.require(ctx, anyOf));
      inner.handle(ctx);
    }, Optional.empty(), true);
  }

  /** What a route for staff or tooling does once it knows who asks. */
  interface Answer {
    /** Answers {@code ctx} for {@code by}: a staff id, or {@code service-token:<id>}. */
    void handle(io.javalin.http.Context ctx, String by) throws Exception;
  }

  /**
   * A route for a staff session holding one of {@code anyOf} (with its CSRF token on unsafe methods)
   * or a service token of {@code scope} ({@code Authorization: Bearer}, for the command line's
   * {@code --url}), checked before {@code answer} runs; a request with a bearer token is judged by the
   * token alone. The session's context is set as {@link #requiringStaffSession} sets it.
   */
  static ApiRoute forStaffOrToken(HandlerType method, String path, String operationId, String summary, String tag,
      String produces, Map<Integer, String> responses, StaffAuth auth, java.util.Set<dev.custos.access.Role> anyOf,
      ServiceAuth service, Scope scope, Answer answer) {
    Map<Integer, String> documented = new java.util.HashMap<>(responses);
    documented.putIfAbsent(401, "No live staff session and no valid service token");
    documented.putIfAbsent(403, "A missing role or CSRF token, or a token without " + scope.wireName());
    return new ApiRoute(method, path, operationId, summary, tag, produces, documented, ctx -> {
      String authorization = ctx.header("Authorization");
      String by;
      if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        by = "service-token:" + service.require(ctx, scope, true).id();
      } else {
        StaffAuth.StaffContext c = auth.require(ctx, anyOf);
        ctx.attribute(StaffAuth.ATTRIBUTE, c);
        by = c.account().id().value();
      }
      answer.handle(ctx, by);
    }, Optional.of(scope), true);
  }

  public ApiRoute requiringServiceToken(ServiceAuth auth, Scope scope) {
    return requiringServiceToken(auth, scope, true);
  }

  /**
   * As {@link #requiringServiceToken}, without the {@code token.used} event: only for a route whose
   * handler appends a ledger entry that itself names the token ({@code POST /v1/ledger/entries}),
   * so a use is never recorded twice nor left unrecorded.
   */
  public ApiRoute requiringServiceTokenRecordedByHandler(ServiceAuth auth, Scope scope) {
    return requiringServiceToken(auth, scope, false);
  }

  private ApiRoute requiringServiceToken(ServiceAuth auth, Scope scope, boolean recordUse) {
    Map<Integer, String> documented = new java.util.HashMap<>(responses);
    documented.putIfAbsent(401, "No valid service token");
    documented.putIfAbsent(403, "The service token lacks the scope " + scope.wireName());
    documented.putIfAbsent(503, "Credentials or the use of the token cannot be recorded right now");
    Handler inner = handler;
    return new ApiRoute(method, path, operationId, summary, tag, produces, documented, ctx -> {
      ctx.attribute(ServiceAuth.ATTRIBUTE, auth.require(ctx, scope, recordUse));
      inner.handle(ctx);
    }, Optional.of(scope), false);
  }
}
