package dev.custos.approval;

import static dev.custos.approval.ApprovalFixtures.T;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.AccessFixtures;
import dev.custos.access.CustomerId;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link WithdrawalStore} must have; fresh customers, so a shared database needs no cleanup. */
public abstract class WithdrawalStoreContract {
  protected abstract WithdrawalStore instance();

  @Test
  public void whitelisting_keepsTheFirstTime_perAccountAssetAndAddress() {
    CustomerId c = AccessFixtures.freshCustomer();
    instance().whitelist(c, "BTC", "bc1qaddress", T);
    instance().whitelist(c, "BTC", "bc1qaddress", T.plusSeconds(60));
    assertThat(instance().whitelistedAt(c, "BTC", "bc1qaddress")).contains(T);
    assertThat(instance().whitelistedAt(c, "ETH", "bc1qaddress")).isEmpty();
    assertThat(instance().whitelistedAt(AccessFixtures.freshCustomer(), "BTC", "bc1qaddress")).isEmpty();
  }

  @Test
  public void spentSince_sumsExactlyTheWindow() {
    CustomerId c = AccessFixtures.freshCustomer();
    instance().recordSpend(c, "BTC", new BigDecimal("0.10000001"), T);
    instance().recordSpend(c, "BTC", new BigDecimal("0.2"), T.plus(Duration.ofHours(2)));
    instance().recordSpend(c, "ETH", new BigDecimal("7"), T.plus(Duration.ofHours(2)));
    assertThat(instance().spentSince(c, "BTC", T)).isEqualByComparingTo("0.30000001");
    assertThat(instance().spentSince(c, "BTC", T.plusSeconds(1))).isEqualByComparingTo("0.2");
    assertThat(instance().spentSince(AccessFixtures.freshCustomer(), "BTC", T)).isEqualByComparingTo("0");
  }

  @Test
  public void changesSince_listsTheAccountsRecentChanges() {
    CustomerId c = AccessFixtures.freshCustomer();
    instance().recordChange(c, "2fa-reset", T);
    instance().recordChange(c, "email-change", T.plus(Duration.ofHours(1)));
    assertThat(instance().changesSince(c, T.plusSeconds(1)))
        .containsExactly(new WithdrawalFacts.SecurityChange("email-change", T.plus(Duration.ofHours(1))));
  }
}
