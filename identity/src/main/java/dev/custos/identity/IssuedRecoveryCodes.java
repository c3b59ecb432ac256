package dev.custos.identity;

import dev.custos.access.StaffId;
import java.util.List;
import java.util.Objects;

/**
 * A set of recovery codes just issued: the only copy of the codes, to show once to their owner.
 * Not a record, so the codes never reach a {@code toString}.
 */
public final class IssuedRecoveryCodes {
  private final StaffId account;
  private final List<String> codes;

  IssuedRecoveryCodes(StaffId account, List<String> codes) {
    this.account = Objects.requireNonNull(account, "account");
    this.codes = List.copyOf(codes);
  }

  public StaffId account() {
    return account;
  }

  /** The codes, formatted {@code XXXX-XXXX-XXXX-XXXX}. Custos keeps only hashes: once this object is gone they cannot be shown again. */
  public List<String> revealCodes() {
    return codes;
  }

  @Override
  public String toString() {
    return "IssuedRecoveryCodes[" + account + ", " + codes.size() + " codes, ***]";
  }
}
