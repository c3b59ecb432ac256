package dev.custos.identity;

import java.util.Objects;

/**
 * A service token as kept at rest: its description and the SHA-256 of its secret. The secret
 * itself is never stored, so a copy of the database cannot be replayed as a credential.
 *
 * @param token the description
 * @param secretHash SHA-256 of the secret part of the token text, 32 bytes
 */
public record StoredToken(ServiceToken token, byte[] secretHash) {
  public StoredToken {
    Objects.requireNonNull(token, "token");
    if (secretHash == null || secretHash.length != 32) {
      throw new IllegalArgumentException("secretHash must be 32 bytes (SHA-256)");
    }
    secretHash = secretHash.clone();
  }

  @Override
  public byte[] secretHash() {
    return secretHash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredToken s && token.equals(s.token) && java.util.Arrays.equals(secretHash, s.secretHash);
  }

  @Override
  public int hashCode() {
    return token.hashCode();
  }

  @Override
  public String toString() {
    return "StoredToken[" + token + ", secretHash=***]";
  }
}
