package dev.custos.identity;

import dev.custos.access.StaffId;
import dev.custos.identity.webauthn.Assertion;
import dev.custos.identity.webauthn.AssertionStart;
import dev.custos.identity.webauthn.WebAuthn;
import dev.custos.identity.webauthn.WebAuthnCredentialStore;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** {@link WebAuthnAssertions} over the Yubico relying party ({@link WebAuthn}) and the credential store. */
public final class WebAuthnSecondFactor implements WebAuthnAssertions {
  private final WebAuthn webAuthn;
  private final WebAuthnCredentialStore store;

  public WebAuthnSecondFactor(WebAuthn webAuthn, WebAuthnCredentialStore store) {
    this.webAuthn = Objects.requireNonNull(webAuthn, "webAuthn");
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public boolean enrolled(StaffId staff) {
    return !store.forStaff(staff).isEmpty();
  }

  @Override
  public Optional<Challenge> challenge(StaffId staff) {
    return switch (webAuthn.startAssertion(staff)) {
      case AssertionStart.Ready r -> Optional.of(new Challenge(r.optionsJson(), r.requestJson()));
      case AssertionStart.Refused r when r.reason() == AssertionStart.Reason.NO_CREDENTIALS -> Optional.empty();
      case AssertionStart.Refused r -> throw new IllegalStateException("WebAuthn challenge unavailable: " + r.reason());
    };
  }

  @Override
  public Verdict verify(StaffId staff, String requestJson, String responseJson) {
    return switch (webAuthn.finishAssertion(staff, requestJson, responseJson)) {
      case Assertion.Asserted a -> new Verdict.Verified(a.credentialId().base64Url());
      case Assertion.Refused r when r.reason() == Assertion.Reason.UNAVAILABLE -> new Verdict.Unavailable();
      case Assertion.Refused r when r.counter().isPresent() -> new Verdict.CounterRegressed(
          r.credential().map(c -> c.base64Url()).orElse(""), r.counter().get().stored(), r.counter().get().presented());
      case Assertion.Refused r -> new Verdict.Refused(r.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    };
  }
}
