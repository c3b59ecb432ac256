package dev.custos.approval;

import java.util.regex.Pattern;

/**
 * An approval request. Also the idempotency key of its execution.
 *
 * @param value {@code apr-} and 16 to 32 lower-case hex digits
 */
public record RequestId(String value) {
  private static final Pattern VALID = Pattern.compile("apr-[0-9a-f]{16,32}");

  public RequestId {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException("request id must be apr- and 16-32 lower-case hex digits");
    }
  }

  /** Parses untrusted text; the message names the rule. */
  public static RequestId parse(String text) {
    return new RequestId(text);
  }

  @Override
  public String toString() {
    return value;
  }
}
