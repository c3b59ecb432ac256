package dev.custos.identity;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fake {@link ServiceTokenStore} for unit tests; the PostgreSQL one is tested in {@code store}. */
final class InMemoryTokenStore implements ServiceTokenStore {
  final Map<String, StoredToken> tokens = new LinkedHashMap<>();
  int useWrites;
  boolean failing;

  @Override
  public synchronized void insert(StoredToken token) {
    check();
    if (tokens.putIfAbsent(token.token().id(), token) != null) {
      throw new IllegalStateException("duplicate id");
    }
  }

  @Override
  public synchronized Optional<StoredToken> find(String id) {
    check();
    return Optional.ofNullable(tokens.get(id));
  }

  @Override
  public synchronized List<ServiceToken> list() {
    check();
    return tokens.values().stream().map(StoredToken::token)
        .sorted(Comparator.comparing(ServiceToken::createdAt).reversed()).toList();
  }

  @Override
  public synchronized boolean revoke(String id, Instant at) {
    check();
    StoredToken t = tokens.get(id);
    if (t == null || t.token().revokedAt().isPresent()) {
      return false;
    }
    tokens.put(id, with(t, Optional.of(at), t.token().lastUsedAt()));
    return true;
  }

  @Override
  public synchronized void recordUse(String id, Instant at, Instant notBefore) {
    check();
    StoredToken t = tokens.get(id);
    if (t != null && t.token().lastUsedAt().map(u -> !u.isAfter(notBefore)).orElse(true)) {
      tokens.put(id, with(t, t.token().revokedAt(), Optional.of(at)));
      useWrites++;
    }
  }

  private void check() {
    if (failing) {
      throw new IllegalStateException("store down");
    }
  }

  private static StoredToken with(StoredToken t, Optional<Instant> revoked, Optional<Instant> used) {
    ServiceToken s = t.token();
    return new StoredToken(new ServiceToken(s.id(), s.name(), s.scopes(), s.createdAt(), s.expiresAt(), revoked, used),
        t.secretHash());
  }
}
