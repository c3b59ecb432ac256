package dev.custos.identity;

import java.util.Objects;

/**
 * A service token just issued: its description and the token text, which exists only here and is
 * shown once to whoever issued it. Not a record, so the text never reaches a {@code toString}.
 */
public final class IssuedToken {
  private final ServiceToken token;
  private final String text;

  IssuedToken(ServiceToken token, String text) {
    this.token = Objects.requireNonNull(token, "token");
    this.text = Objects.requireNonNull(text, "text");
  }

  public ServiceToken token() {
    return token;
  }

  /**
   * The token text to hand to the integration ({@code Authorization: Bearer <text>}). Custos keeps
   * only its hash: once this object is gone, the text cannot be recovered.
   */
  public String revealText() {
    return text;
  }

  @Override
  public String toString() {
    return "IssuedToken[" + token.id() + ", text=***]";
  }
}
