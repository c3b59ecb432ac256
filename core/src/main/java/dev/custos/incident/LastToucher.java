package dev.custos.incident;

import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.approval.AccountStaff;
import dev.custos.vault.Commitment;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The withdrawal rule {@code staff-contained}'s question — is the member of staff who last saw this
 * customer's data contained now? — answered from the access index. A bribed agent who looked the
 * customer up and was then suspended is the pattern it catches: their accomplice's withdrawal waits.
 * Fails closed: when the answer cannot be had, the account is treated as touched by someone contained.
 */
public final class LastToucher implements AccountStaff {
  private final AccessIndex index;
  private final Function<CustomerId, Optional<Commitment>> commitments;
  private final Predicate<StaffId> contained;

  /**
   * @param index who saw which customer
   * @param commitments the customer's commitment (the vault's); empty for a customer it does not hold
   * @param contained whether a member of staff is contained (suspended) now
   */
  public LastToucher(AccessIndex index, Function<CustomerId, Optional<Commitment>> commitments,
      Predicate<StaffId> contained) {
    this.index = Objects.requireNonNull(index, "index");
    this.commitments = Objects.requireNonNull(commitments, "commitments");
    this.contained = Objects.requireNonNull(contained, "contained");
  }

  @Override
  public boolean lastToucherContained(CustomerId customer) {
    try {
      Optional<Commitment> c = commitments.apply(customer);
      if (c.isEmpty()) {
        return false; // nobody can have seen a customer the vault does not hold
      }
      Access[] last = new Access[1];
      index.byCustomer(c.get(), a -> last[0] = a);
      return last[0] != null && contained.test(last[0].staff());
    } catch (RuntimeException e) {
      return true;
    }
  }
}
