package dev.custos.identity;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What is known about a service token apart from its secret: who it is for, what it may do and
 * its life so far. Safe to list and log; the secret is never part of it.
 *
 * @param id the public identifier, part of the token text ({@code cst_<id>_<secret>})
 * @param name a human label such as {@code wallet-service}
 * @param scopes what the token may do; never empty
 * @param createdAt when it was issued
 * @param expiresAt when it stops working, if it expires
 * @param revokedAt when it was revoked, if it was
 * @param lastUsedAt when it was last accepted, at most a minute stale
 */
public record ServiceToken(String id, String name, Set<Scope> scopes, Instant createdAt, Optional<Instant> expiresAt,
    Optional<Instant> revokedAt, Optional<Instant> lastUsedAt) {
  static final Pattern ID = Pattern.compile("[a-z2-7]{16}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,62}");

  public ServiceToken {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a service token id is 16 characters of a-z and 2-7");
    }
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a service token name is 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("a service token needs at least one scope");
    }
    scopes = Set.copyOf(EnumSet.copyOf(scopes));
  }

  /** Whether {@code name} is acceptable as a token name (see the record's rules). */
  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** Whether the token works at {@code now}: not revoked and not expired. */
  public boolean activeAt(Instant now) {
    return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
  }
}
