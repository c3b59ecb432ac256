package dev.custos.incident;

import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * An incident's identifier: {@code inc-} and 16 lower-case hex digits (64 random bits), so ids
 * cannot be guessed from one another nor counted.
 *
 * @param value the identifier
 */
public record IncidentId(String value) {
  private static final Pattern VALID = Pattern.compile("inc-[0-9a-f]{16}");

  public IncidentId {
    Objects.requireNonNull(value, "incident id");
    if (!VALID.matcher(value).matches()) {
      throw new IllegalArgumentException("an incident id is inc- and 16 lower-case hex digits");
    }
  }

  /** Parses untrusted text; the exception's message names the rule. */
  public static IncidentId parse(String text) {
    return new IncidentId(text);
  }

  /** A fresh identifier drawn from {@code random}. */
  public static IncidentId random(RandomGenerator random) {
    return new IncidentId("inc-" + HexFormat.of().toHexDigits(random.nextLong()));
  }

  @Override
  public String toString() {
    return value;
  }
}
