package dev.custos.access;

import static dev.custos.access.AccessFixtures.AGENT;
import static dev.custos.access.AccessFixtures.CUSTOMER;
import static dev.custos.access.AccessFixtures.GOOD_REASON;
import static dev.custos.access.AccessFixtures.LEAD;
import static dev.custos.access.AccessFixtures.T;
import static dev.custos.access.AccessFixtures.staff;
import static dev.custos.access.AccessFixtures.suspended;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class BreakGlassReviewsTest {
  private static final String NOTE = "called the customer back, the request was genuine";
  private final InMemoryBreakGlassStore store = new InMemoryBreakGlassStore();
  private final AccessBrokerTest.MemoryLedger ledger = new AccessBrokerTest.MemoryLedger();
  private final BreakGlassReviews reviews = new BreakGlassReviews(store, ledger, InstantSource.fixed(T));
  private final long use = store.record(new BreakGlassUse(AGENT, CUSTOMER, GOOD_REASON, T));

  @Test
  void review_byAnotherSecurityAnalyst_isRecordedOnce_withTheNoteOnlyAsADigest() {
    var done = reviews.review(staff(LEAD, Role.SECURITY_ANALYST), use, true, NOTE);
    assertThat(done).isInstanceOf(BreakGlassReviews.Result.Done.class);
    assertThat(ledger.last()).contains("\"kind\":\"custos.break-glass-review/v1\"").contains("\"verdict\":\"justified\"")
        .contains("\"user\":\"agent-17\"").doesNotContain(NOTE).doesNotContain(CUSTOMER.value());
    assertThat(reviews.pending(10)).isEmpty();
    assertThat(reviews.review(staff(LEAD, Role.SECURITY_ANALYST), use, false, NOTE))
        .isEqualTo(new BreakGlassReviews.Result.Refused("id", "break-glass use " + use + " is already reviewed"));
  }

  @Test
  void review_ofOnesOwnUse_isRefused_andNothingRecorded() {
    var r = reviews.review(staff(AGENT, Role.SECURITY_ANALYST), use, true, NOTE);
    assertThat(r).isInstanceOf(BreakGlassReviews.Result.Refused.class);
    assertThat(((BreakGlassReviews.Result.Refused) r).field()).isEqualTo("reviewer");
    assertThat(ledger.entries).isEmpty();
    assertThat(reviews.pending(10)).hasSize(1);
  }

  @Test
  void review_byANonAnalystOrASuspendedAnalyst_isRefused() {
    assertThat(reviews.review(staff(LEAD, Role.SUPPORT_L2), use, true, NOTE))
        .isInstanceOf(BreakGlassReviews.Result.Refused.class);
    assertThat(reviews.review(suspended(LEAD, Role.SECURITY_ANALYST), use, true, NOTE))
        .isInstanceOf(BreakGlassReviews.Result.Refused.class);
  }

  @Test
  void review_withoutARealNote_isRefusedNamingTheNote() {
    var r = reviews.review(staff(LEAD, Role.SECURITY_ANALYST), use, true, "ok");
    assertThat(((BreakGlassReviews.Result.Refused) r).field()).isEqualTo("note");
  }

  @Test
  void review_ofAnUnknownUse_isNotFound() {
    assertThat(reviews.review(staff(LEAD, Role.SECURITY_ANALYST), 999, true, NOTE))
        .isEqualTo(new BreakGlassReviews.Result.NotFound(999));
  }
}
