package dev.custos.server;

/**
 * The stable problem types of the HTTP API (RFC 9457 {@code type} members). Clients branch on
 * these URIs, never on titles or details; a type, once published, keeps its meaning.
 */
public enum ProblemType {
  NOT_FOUND("not-found", 404, "No such resource"),
  UNAUTHORIZED("unauthorized", 401, "Not authenticated"),
  FORBIDDEN("forbidden", 403, "Not allowed"),
  LOGIN_FAILED("login-failed", 401, "Login failed"),
  TOO_MANY_ATTEMPTS("too-many-attempts", 429, "Too many attempts"),
  QUOTA_EXCEEDED("quota-exceeded", 429, "Quota exceeded"),
  ACCESS_DENIED("access-denied", 403, "Access denied"),
  REASON_REQUIRED("reason-required", 400, "A real reason is required"),
  CONTAINED("contained", 403, "Account suspended"),
  STEP_UP_REQUIRED("step-up-required", 403, "Step-up required"),
  CSRF("csrf", 403, "Cross-site request refused"),
  CONFLICT("conflict", 409, "Conflict"),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
  MALFORMED_JSON("malformed-json", 400, "Malformed JSON"),
  INVALID_FIELD("invalid-field", 400, "Invalid field"),
  INVALID_PARAMETER("invalid-parameter", 400, "Invalid parameter"),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
  PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
  NOT_READY("not-ready", 503, "Not ready"),
  LEDGER_UNAVAILABLE("ledger-unavailable", 503, "Ledger unavailable"),
  BAD_REQUEST("bad-request", 400, "Bad request"),
  INTERNAL("internal", 500, "Internal error");

  private final String slug;
  private final int status;
  private final String title;

  ProblemType(String slug, int status, String title) {
    this.slug = slug;
    this.status = status;
    this.title = title;
  }

  /** The {@code type} URI: {@code urn:custos:problem:<slug>}. */
  public String uri() {
    return "urn:custos:problem:" + slug;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }
}
