package dev.custos.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty raises before a request reaches Javalin (a malformed header, an
 * over-long URI, a path that is not UTF-8) as RFC 9457 problems too, whatever the method, instead of
 * Jetty's HTML page or an empty body, so every error a client sees has the same shape. Jetty's message names the protocol fault only, never request content.
 */
final class ProblemErrorHandler extends ErrorHandler {
  /** Every method gets the problem body (Jetty's default answers only GET, POST and HEAD with a body). */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) throws IOException {
    Problem p = code >= 500
        ? Problem.of(ProblemType.INTERNAL, "the server could not complete the request")
        : new Problem(ProblemType.BAD_REQUEST, code, "the HTTP request is malformed"
            + (message == null || message.isBlank() ? "" : ": " + ConfigLoader.printable(message)), java.util.Map.of());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpApi.PROBLEM_JSON);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    // A request this malformed may leave its body unread on the connection: close it, and say so,
    // so that a client does not send its next request down a connection about to be closed.
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(Json.write(p.body(null)).getBytes(java.nio.charset.StandardCharsets.UTF_8)), callback);
  }
}
