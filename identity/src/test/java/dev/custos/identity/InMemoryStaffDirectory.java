package dev.custos.identity;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A fake {@link StaffDirectory}; the PostgreSQL one extends {@link StaffDirectoryContract} in
 * {@code store}. It shares the monitor of its {@link InMemorySessionStore}, so a suspension and the
 * revocation of the sessions are one step for every reader of either, as one transaction is in
 * PostgreSQL. Local accounts get their first password in the shared {@link InMemoryCredentialStore}.
 */
final class InMemoryStaffDirectory implements StaffDirectory {
  private final InMemorySessionStore sessions;
  private final InMemoryCredentialStore credentials;
  private final Map<StaffId, StaffAccount> accounts = new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
  volatile boolean failing;

  InMemoryStaffDirectory(InMemorySessionStore sessions, InMemoryCredentialStore credentials) {
    this.sessions = sessions;
    this.credentials = credentials;
  }

  @Override
  public boolean create(StaffAccount account, Optional<PasswordHash> password) {
    requirePasswordExactlyForLocal(account, password);
    synchronized (sessions) {
      check();
      if (accounts.containsKey(account.id())) {
        return false;
      }
      // The credentials first: whoever sees the account sees its password.
      password.ifPresent(p -> credentials.put(new StaffCredentials(account.id(), p, Optional.empty())));
      accounts.put(account.id(), new StaffAccount(account.id(), account.displayName(), account.roles(), account.team(),
          account.origin(), account.status(), account.statusReason(), InMemorySessionStore.micros(account.createdAt()),
          account.shift()));
      return true;
    }
  }

  private static void requirePasswordExactlyForLocal(StaffAccount account, Optional<PasswordHash> password) {
    if ((account.origin() == StaffAccount.Origin.LOCAL) != password.isPresent()) {
      throw new IllegalArgumentException(account.origin() == StaffAccount.Origin.LOCAL
          ? "a local account is created with its first password" : "an OIDC account has no password at Custos");
    }
  }

  @Override
  public Optional<StaffAccount> find(StaffId id) {
    synchronized (sessions) {
      check();
      return Optional.ofNullable(accounts.get(id));
    }
  }

  @Override
  public List<StaffAccount> list() {
    synchronized (sessions) {
      check();
      return List.copyOf(accounts.values());
    }
  }

  @Override
  public Optional<Integer> suspend(StaffId id, String reason, Instant at) {
    String why = StaffAccount.requireText(reason, "reason", 500);
    synchronized (sessions) {
      check();
      StaffAccount a = accounts.get(id);
      if (a == null) {
        return Optional.empty();
      }
      if (a.status() != StaffStatus.SUSPENDED) {
        accounts.put(id, with(a, StaffStatus.SUSPENDED, why));
      }
      return Optional.of(sessions.revokeAll(id, "suspended", at));
    }
  }

  @Override
  public boolean restore(StaffId id, String reason, Instant at) {
    String why = StaffAccount.requireText(reason, "reason", 500);
    synchronized (sessions) {
      check();
      StaffAccount a = accounts.get(id);
      if (a == null || a.status() != StaffStatus.SUSPENDED) {
        return false;
      }
      accounts.put(id, with(a, StaffStatus.ACTIVE, why));
      return true;
    }
  }

  @Override
  public boolean setShift(StaffId id, Optional<dev.custos.access.Shift> shift) {
    synchronized (sessions) {
      check();
      StaffAccount a = accounts.get(id);
      if (a == null) {
        return false;
      }
      accounts.put(id, a.withShift(shift));
      return true;
    }
  }

  @Override
  public boolean setRoles(StaffId id, Set<Role> roles) {
    if (roles == null || roles.isEmpty()) {
      throw new IllegalArgumentException("a staff account needs at least one role");
    }
    synchronized (sessions) {
      check();
      StaffAccount a = accounts.get(id);
      if (a == null) {
        return false;
      }
      accounts.put(id, new StaffAccount(a.id(), a.displayName(), roles, a.team(), a.origin(), a.status(),
          a.statusReason(), a.createdAt(), a.shift()));
      return true;
    }
  }

  private static StaffAccount with(StaffAccount a, StaffStatus status, String reason) {
    return new StaffAccount(a.id(), a.displayName(), a.roles(), a.team(), a.origin(), status, Optional.of(reason),
        a.createdAt(), a.shift());
  }

  private void check() {
    if (failing) {
      throw new IllegalStateException("store down");
    }
  }
}
