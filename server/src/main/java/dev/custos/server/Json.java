package dev.custos.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import java.util.stream.Collectors;

/**
 * The one JSON mapper of the server, and the strict reader of request bodies: malformed JSON
 * answers 400 naming the line and column, a wrong or unknown field answers 400 naming the field.
 */
public final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          // Requests run on virtual threads, one per request: the default thread-local buffer
          // recycler would allocate fresh 16 KiB buffers for every answer. Share one pool instead.
          .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .findAndAddModules()
      .build();

  private Json() {}

  /**
   * Reads the request body as {@code type}.
   *
   * @throws ApiException 415 when the body is not JSON, 400 when it is malformed or a field is
   *     missing, unknown or invalid
   */
  public static <T> T read(Context ctx, Class<T> type) {
    requireJsonBody(ctx);
    return parse(ctx.bodyAsBytes(), type);
  }

  /** @throws ApiException 415 unless the request body is declared {@code application/json} */
  static void requireJsonBody(Context ctx) {
    String contentType = ctx.contentType();
    if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new ApiException(Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE,
          "the request body must be application/json"));
    }
  }

  /** Parses {@code body} as {@code type}; see {@link #read}. */
  public static <T> T parse(byte[] body, Class<T> type) {
    if (body.length == 0) {
      throw new ApiException(Problem.of(ProblemType.MALFORMED_JSON, "the request body is empty; a JSON object is required"));
    }
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new ApiException(Problem.of(ProblemType.MALFORMED_JSON, "the request body is null; a JSON object is required"));
      }
      return value;
    } catch (JsonMappingException e) {
      String field = e.getPath().stream()
          .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining(".")).replace(".[", "[");
      if (field.isEmpty() && e instanceof ValueInstantiationException vi && vi.getCause() != null
          && vi.getCause().getMessage() != null) {
        // The value's own validation refused it; by convention its message starts with the field.
        String why = vi.getCause().getMessage();
        Problem p = Problem.of(ProblemType.INVALID_FIELD, why);
        String first = why.split("[ :]", 2)[0];
        boolean isComponent = vi.getType() != null && vi.getType().getRawClass().isRecord()
            && java.util.Arrays.stream(vi.getType().getRawClass().getRecordComponents()).anyMatch(c -> c.getName().equals(first));
        throw new ApiException(isComponent ? p.with("field", first) : p);
      }
      if (field.isEmpty()) {
        throw new ApiException(malformed(e));
      }
      Throwable cause = e instanceof ValueInstantiationException && e.getCause() != null ? e.getCause() : null;
      String why = cause != null && cause.getMessage() != null ? cause.getMessage()
          : e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException ? "unknown field"
          : e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null
              ? "expected " + friendly(m.getTargetType())
          : "invalid value";
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "field '" + field + "': " + why)
          .with("field", field));
    } catch (JacksonException e) {
      throw new ApiException(malformed(e));
    } catch (java.io.IOException e) {
      throw new ApiException(Problem.of(ProblemType.MALFORMED_JSON, "the request body could not be read"));
    }
  }

  private static Problem malformed(JacksonException e) {
    JsonLocation at = e.getLocation();
    String msg = e.getOriginalMessage() == null ? "syntax error" : e.getOriginalMessage().lines().findFirst().orElse("");
    // Jackson's messages can quote the offending input; keep only the part before the quote.
    int quote = msg.indexOf(": was ");
    if (quote > 0) {
      msg = msg.substring(0, quote);
    }
    Problem p = Problem.of(ProblemType.MALFORMED_JSON, at == null ? "malformed JSON: " + msg
        : "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + msg);
    return at == null ? p : p.with("line", at.getLineNr()).with("column", at.getColumnNr());
  }

  private static String friendly(Class<?> t) {
    if (t == String.class) return "a string";
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class) return "an integer";
    if (t == boolean.class || t == Boolean.class) return "true or false";
    if (java.util.Collection.class.isAssignableFrom(t) || t.isArray()) return "an array";
    if (t.isRecord() || java.util.Map.class.isAssignableFrom(t)) return "an object";
    return "a " + t.getSimpleName();
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
    }
  }
}
