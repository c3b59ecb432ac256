package dev.custos.approval;

import dev.custos.access.CanonicalJson;
import dev.custos.access.CustomerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Exactly what a request asks to do: the action, the customer it is about, and its parameters
 * (for example {@code address} and {@code asset} for a whitelisting). Approvals are bound to the
 * {@link #bindingHash hash} of this, so any edit voids them.
 *
 * @param action the sensitive action
 * @param customer the customer it is about; present exactly when {@link SensitiveAction#aboutCustomer()}
 * @param parameters at most {@value #MAX_PARAMETERS} name/value pairs; names {@code [a-z][a-zA-Z0-9_.-]{0,63}},
 *     values 1-{@value #MAX_VALUE} characters without control characters
 */
public record ActionSpec(SensitiveAction action, Optional<CustomerId> customer, SortedMap<String, String> parameters) {
  public static final int MAX_PARAMETERS = 32;
  public static final int MAX_VALUE = 1000;
  private static final Pattern NAME = Pattern.compile("[a-z][a-zA-Z0-9_.-]{0,63}");

  public ActionSpec {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(customer, "customer");
    if (action.aboutCustomer() && customer.isEmpty()) {
      throw new IllegalArgumentException("customer is required for " + action.wireName());
    }
    if (!action.aboutCustomer() && customer.isPresent()) {
      throw new IllegalArgumentException("customer must be absent for " + action.wireName());
    }
    Objects.requireNonNull(parameters, "parameters");
    if (parameters.size() > MAX_PARAMETERS) {
      throw new IllegalArgumentException("parameters must be at most " + MAX_PARAMETERS);
    }
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      if (!NAME.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException("parameter name '" + e.getKey() + "' must match " + NAME.pattern());
      }
      String v = e.getValue();
      if (v == null || v.isEmpty() || v.length() > MAX_VALUE || v.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException("parameter " + e.getKey() + " must be 1-" + MAX_VALUE
            + " characters without control characters");
      }
    }
    parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
  }

  /** A spec from any map of parameters. */
  public static ActionSpec of(SensitiveAction action, Optional<CustomerId> customer, Map<String, String> parameters) {
    return new ActionSpec(action, customer, new TreeMap<>(parameters));
  }

  /**
   * The SHA-256, lower-case hex, of the canonical JSON (RFC 8785 as {@link CanonicalJson} writes it)
   * of {@code {"action", "customer", "parameters", "salt"}}. The request's random salt keeps a
   * ledger reader from confirming a guessed e-mail address or phone number against the hash.
   */
  public String bindingHash(String salt) {
    Map<String, Object> m = new TreeMap<>();
    m.put("action", action.wireName());
    m.put("customer", customer.map(CustomerId::value).orElse(null));
    m.put("parameters", new TreeMap<String, Object>(parameters));
    m.put("salt", Objects.requireNonNull(salt, "salt"));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CanonicalJson.encode(m)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }
}
