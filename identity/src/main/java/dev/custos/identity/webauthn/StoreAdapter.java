package dev.custos.identity.webauthn;

import com.yubico.webauthn.CredentialRepository;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.data.AuthenticatorTransport;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredentialDescriptor;
import dev.custos.access.StaffId;
import java.security.MessageDigest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Yubico's {@link CredentialRepository} over the {@link WebAuthnCredentialStore} port. Yubico's
 * "username" is the staff id. A store failure surfaces as {@link StoreFailure}, which Yubico does
 * not catch, so {@link WebAuthn} can answer {@code UNAVAILABLE} rather than "verification failed".
 */
final class StoreAdapter implements CredentialRepository {
  private final WebAuthnCredentialStore store;

  StoreAdapter(WebAuthnCredentialStore store) {
    this.store = store;
  }

  /** A store call that failed; unchecked so it passes through Yubico's verification steps untouched. */
  static final class StoreFailure extends RuntimeException {
    StoreFailure(RuntimeException cause) {
      super("WebAuthn credential store failed", cause);
    }
  }

  static <T> T call(Supplier<T> storeCall) {
    try {
      return storeCall.get();
    } catch (RuntimeException e) {
      throw new StoreFailure(e);
    }
  }

  @Override
  public Set<PublicKeyCredentialDescriptor> getCredentialIdsForUsername(String username) {
    Optional<StaffId> staff = staff(username);
    if (staff.isEmpty()) {
      return Set.of();
    }
    List<WebAuthnCredential> credentials = call(() -> store.forStaff(staff.get()));
    return credentials.stream().map(StoreAdapter::descriptor).collect(Collectors.toCollection(LinkedHashSet::new));
  }

  @Override
  public Optional<ByteArray> getUserHandleForUsername(String username) {
    return staff(username).map(s -> new ByteArray(WebAuthn.userHandle(s)));
  }

  @Override
  public Optional<String> getUsernameForUserHandle(ByteArray userHandle) {
    byte[] handle = userHandle.getBytes();
    List<WebAuthnCredential> credentials = call(() -> store.forUserHandle(handle));
    // The handle is derived from the staff id, so the staff found must derive it back: a row whose
    // handle and staff disagree answers nothing.
    return credentials.stream()
        .map(WebAuthnCredential::staff)
        .filter(s -> MessageDigest.isEqual(WebAuthn.userHandle(s), handle))
        .map(StaffId::value)
        .findFirst();
  }

  @Override
  public Optional<RegisteredCredential> lookup(ByteArray credentialId, ByteArray userHandle) {
    return find(credentialId)
        .filter(c -> MessageDigest.isEqual(c.userHandle(), userHandle.getBytes()))
        .map(StoreAdapter::registered);
  }

  @Override
  public Set<RegisteredCredential> lookupAll(ByteArray credentialId) {
    return find(credentialId).map(StoreAdapter::registered).map(Set::of).orElse(Set.of());
  }

  private Optional<WebAuthnCredential> find(ByteArray credentialId) {
    if (credentialId.isEmpty() || credentialId.size() > CredentialId.MAX_BYTES) {
      return Optional.empty();
    }
    CredentialId id = CredentialId.of(credentialId.getBytes());
    return call(() -> store.find(id));
  }

  private static Optional<StaffId> staff(String username) {
    try {
      return Optional.of(new StaffId(username));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static PublicKeyCredentialDescriptor descriptor(WebAuthnCredential credential) {
    Set<AuthenticatorTransport> transports = new TreeSet<>();
    for (String transport : credential.transports()) {
      transports.add(AuthenticatorTransport.of(transport));
    }
    return PublicKeyCredentialDescriptor.builder()
        .id(new ByteArray(credential.credentialId().bytes()))
        .transports(transports)
        .build();
  }

  @SuppressWarnings("deprecation") // backupEligible/backupState are marked experimental by Yubico; the BE check is a WebAuthn L3 step
  private static RegisteredCredential registered(WebAuthnCredential credential) {
    return RegisteredCredential.builder()
        .credentialId(new ByteArray(credential.credentialId().bytes()))
        .userHandle(new ByteArray(credential.userHandle()))
        .publicKeyCose(new ByteArray(credential.publicKeyCose()))
        .signatureCount(credential.signatureCount())
        .backupEligible(credential.backupEligible())
        .backupState(credential.backedUp())
        .build();
  }
}
