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
 * over-long URI) as RFC 9457 problems too, instead of Jetty's HTML page, so every error a client
 * sees has the same shape. Jetty's message names the protocol fault only, never request content.
 */
final class ProblemErrorHandler extends ErrorHandler {
  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) throws IOException {
    Problem p = code >= 500
        ? Problem.of(ProblemType.INTERNAL, "the server could not complete the request")
        : new Problem(ProblemType.BAD_REQUEST, code, "the HTTP request is malformed"
            + (message == null || message.isBlank() ? "" : ": " + ConfigLoader.printable(message)), java.util.Map.of());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpApi.PROBLEM_JSON);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(Json.write(p.body(null)).getBytes(java.nio.charset.StandardCharsets.UTF_8)), callback);
  }
}
