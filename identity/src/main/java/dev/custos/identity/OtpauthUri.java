package dev.custos.identity;

import dev.custos.access.StaffId;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An {@code otpauth://totp/...} key URI (the de-facto format of Google Authenticator's "Key Uri
 * Format"), shown once as a QR code when a member of staff enrols an authenticator app:
 * {@code otpauth://totp/Custos:agent-17?secret=<base32>&issuer=Custos&algorithm=SHA1&digits=6&period=30}.
 *
 * <p>It contains the TOTP secret, so it is not a record: {@link #toString()} is redacted, and the
 * text is only available through {@link #revealText()}.
 */
public final class OtpauthUri {
  /** The issuer Custos writes unless configured otherwise. */
  public static final String DEFAULT_ISSUER = "Custos";
  private static final int MAX_LENGTH = 2048;
  private static final String PREFIX = "otpauth://totp/";

  private final String issuer;
  private final String account;
  private final TotpSecret secret;
  private final Totp totp;

  private OtpauthUri(String issuer, String account, TotpSecret secret, Totp totp) {
    this.issuer = issuer;
    this.account = account;
    this.secret = secret;
    this.totp = totp;
  }

  /**
   * The URI that enrols {@code secret} for {@code account} in an authenticator app.
   *
   * @throws IllegalArgumentException when the issuer is empty, longer than 64 characters, or contains ':' or a control character
   */
  public static OtpauthUri forEnrolment(String issuer, StaffId account, TotpSecret secret, Totp totp) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(totp, "totp");
    String problem = issuerProblem(issuer);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return new OtpauthUri(issuer, account.value(), secret, totp);
  }

  /**
   * Parses a key URI, for instance to read back what was enrolled. Never throws. Requires the
   * {@code totp} type, a secret, and an issuer (in the label, the parameter, or both, and then the
   * same); {@code algorithm}, {@code digits} and {@code period} default to SHA1, 6 and 30; other
   * parameters (such as {@code image}) are ignored; a repeated parameter is refused.
   */
  public static Parsed<OtpauthUri> parse(String text) {
    if (text == null) {
      return Parsed.invalid("otpauth URI is missing");
    }
    if (text.length() > MAX_LENGTH) {
      return Parsed.invalid("otpauth URI is longer than " + MAX_LENGTH + " characters");
    }
    if (!text.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return Parsed.invalid("otpauth URI must start with " + PREFIX);
    }
    if (text.indexOf('#') >= 0) {
      return Parsed.invalid("otpauth URI must not have a fragment");
    }
    int query = text.indexOf('?');
    if (query < 0) {
      return Parsed.invalid("otpauth URI has no parameters (the secret is required)");
    }
    String label = percentDecode(text.substring(PREFIX.length(), query), false);
    if (label == null) {
      return Parsed.invalid("otpauth URI label is not valid percent-encoded UTF-8");
    }
    Map<String, String> params = new HashMap<>();
    for (String pair : text.substring(query + 1).split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? null : percentDecode(pair.substring(0, eq), true);
      String value = eq < 0 ? null : percentDecode(pair.substring(eq + 1), true);
      if (key == null || value == null) {
        return Parsed.invalid("otpauth URI parameters must be key=value pairs of valid percent-encoded UTF-8");
      }
      if (params.put(key, value) != null) {
        return Parsed.invalid("otpauth URI repeats the parameter " + printable(key));
      }
    }

    String labelIssuer = null;
    String account = label;
    int colon = label.indexOf(':');
    if (colon >= 0) {
      labelIssuer = label.substring(0, colon);
      account = label.substring(colon + 1).stripLeading();
    }
    String issuer = params.get("issuer");
    if (issuer != null && labelIssuer != null && !issuer.equals(labelIssuer)) {
      return Parsed.invalid("otpauth URI names one issuer in its label and another in its issuer parameter");
    }
    issuer = issuer != null ? issuer : labelIssuer;
    String issuerProblem = issuerProblem(issuer);
    if (issuerProblem != null) {
      return Parsed.invalid("otpauth URI: " + issuerProblem);
    }
    if (account.isEmpty() || account.length() > 128 || account.chars().anyMatch(Character::isISOControl)) {
      return Parsed.invalid("otpauth URI account name must be 1 to 128 characters without control characters");
    }

    TotpAlgorithm algorithm = TotpAlgorithm.SHA1;
    if (params.containsKey("algorithm")) {
      var named = TotpAlgorithm.fromUriName(params.get("algorithm"));
      if (named.isEmpty()) {
        return Parsed.invalid("otpauth URI algorithm must be SHA1, SHA256 or SHA512");
      }
      algorithm = named.get();
    }
    Integer digits = smallNumber(params.getOrDefault("digits", "6"));
    Integer period = smallNumber(params.getOrDefault("period", "30"));
    if (digits == null || digits < 6 || digits > 8) {
      return Parsed.invalid("otpauth URI digits must be 6, 7 or 8");
    }
    if (period == null || period < 1 || period > 300) {
      return Parsed.invalid("otpauth URI period must be 1 to 300 seconds");
    }
    Totp totp = new Totp(algorithm, digits, Duration.ofSeconds(period));
    String finalIssuer = issuer;
    String finalAccount = account;
    return switch (TotpSecret.parseBase32(params.get("secret"))) {
      case Parsed.Invalid<TotpSecret> i -> Parsed.invalid("otpauth URI: " + i.problem());
      case Parsed.Valid<TotpSecret> v -> Parsed.valid(new OtpauthUri(finalIssuer, finalAccount, v.value(), totp));
    };
  }

  /** The URI text, containing the secret: render it as a QR code once, never log it. */
  public String revealText() {
    return PREFIX + percentEncode(issuer) + ":" + percentEncode(account) + "?secret=" + secret.revealBase32()
        + "&issuer=" + percentEncode(issuer) + "&algorithm=" + totp.algorithm().uriName() + "&digits=" + totp.digits()
        + "&period=" + totp.period().getSeconds();
  }

  public String issuer() {
    return issuer;
  }

  /** The account name in the label (a staff id for URIs Custos writes). */
  public String account() {
    return account;
  }

  public TotpSecret secret() {
    return secret;
  }

  public Totp totp() {
    return totp;
  }

  @Override
  public String toString() {
    return "OtpauthUri[" + issuer + ":" + account + ", " + totp + ", secret=***]";
  }

  private static String issuerProblem(String issuer) {
    if (issuer == null || issuer.isEmpty() || issuer.length() > 64 || issuer.indexOf(':') >= 0
        || issuer.chars().anyMatch(Character::isISOControl)) {
      return "issuer must be 1 to 64 characters without ':' or control characters";
    }
    return null;
  }

  /** RFC 3986 percent-encoding of everything but the unreserved characters; never '+' for a space. */
  static String percentEncode(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
          || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }

  /** Strict percent-decoding to UTF-8, or null; in a query, '+' is a space (form encoding, as many generators write). */
  private static String percentDecode(String s, boolean query) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write((hi << 4) | lo);
        i += 2;
      } else if (c == '+' && query) {
        bytes.write(' ');
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        return null; // a URI is ASCII; anything else must be percent-encoded
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** A decimal of at most 3 digits without sign, or null. */
  private static Integer smallNumber(String s) {
    if (s == null || s.isEmpty() || s.length() > 3 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    return Integer.parseInt(s);
  }

  /** A parameter name for an error message: one of the known names, never text from the input otherwise. */
  private static String printable(String key) {
    return java.util.Set.of("secret", "issuer", "algorithm", "digits", "period").contains(key) ? key : "(another one)";
  }
}
