package dev.custos.server;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Map;
import java.util.Objects;

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
 */
public record ApiRoute(HandlerType method, String path, String operationId, String summary, String tag,
    String produces, Map<Integer, String> responses, Handler handler) {
  public ApiRoute {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(operationId, "operationId");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(produces, "produces");
    Objects.requireNonNull(handler, "handler");
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
    return new ApiRoute(HandlerType.GET, path, operationId, summary, tag, produces, responses, handler);
  }
}
