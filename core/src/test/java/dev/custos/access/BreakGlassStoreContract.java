package dev.custos.access;

import static dev.custos.access.AccessFixtures.CUSTOMER;
import static dev.custos.access.AccessFixtures.GOOD_REASON;
import static dev.custos.access.AccessFixtures.T;
import static dev.custos.access.AccessFixtures.freshStaff;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link BreakGlassStore} must have; fresh staff ids, so a shared database needs no cleanup. */
public abstract class BreakGlassStoreContract {
  /** A store; every call during one test MUST return an instance over the same state. */
  protected abstract BreakGlassStore instance();

  private static BreakGlassReview.Verdict verdict(StaffId reviewer) {
    return new BreakGlassReview.Verdict(reviewer, true, "takeover confirmed by the customer", T.plusSeconds(600));
  }

  @Test
  public void recordedUse_isPendingWithAnIncreasingId() {
    StaffId s = freshStaff();
    BreakGlassUse first = new BreakGlassUse(s, CUSTOMER, GOOD_REASON, T);
    BreakGlassUse second = new BreakGlassUse(s, CUSTOMER, GOOD_REASON, T.plusSeconds(1));
    long a = instance().record(first);
    long b = instance().record(second);

    assertThat(b).isGreaterThan(a);
    assertThat(instance().find(a)).contains(new BreakGlassReview(a, first, Optional.empty()));
    assertThat(instance().pending(1000).stream().filter(r -> r.use().staff().equals(s)).map(BreakGlassReview::id))
        .containsExactly(a, b);
  }

  @Test
  public void review_byAnotherMember_closesIt_once() {
    StaffId s = freshStaff();
    long id = instance().record(new BreakGlassUse(s, CUSTOMER, GOOD_REASON, T));
    BreakGlassReview.Verdict v = verdict(freshStaff());

    assertThat(instance().review(id, v)).isTrue();
    assertThat(instance().review(id, verdict(freshStaff()))).isFalse();
    assertThat(instance().find(id).orElseThrow().verdict()).contains(v);
    assertThat(instance().pending(1000)).noneMatch(r -> r.id() == id);
  }

  @Test
  public void review_byItsOwnUser_isRefused() {
    StaffId s = freshStaff();
    long id = instance().record(new BreakGlassUse(s, CUSTOMER, GOOD_REASON, T));
    assertThat(instance().review(id, verdict(s))).isFalse();
    assertThat(instance().find(id).orElseThrow().pending()).isTrue();
  }

  @Test
  public void review_ofAnUnknownUse_isRefused() {
    assertThat(instance().review(Long.MAX_VALUE - 7, verdict(freshStaff()))).isFalse();
  }

  @Test
  public void countSince_countsOnlyThatStaffFromThen() {
    StaffId s = freshStaff();
    instance().record(new BreakGlassUse(s, CUSTOMER, GOOD_REASON, T));
    instance().record(new BreakGlassUse(s, CUSTOMER, GOOD_REASON, T.plusSeconds(100)));
    instance().record(new BreakGlassUse(freshStaff(), CUSTOMER, GOOD_REASON, T.plusSeconds(100)));

    assertThat(instance().countSince(s, T)).isEqualTo(2);
    assertThat(instance().countSince(s, T.plusSeconds(1))).isEqualTo(1);
  }

  @Test
  public void racingReviewers_exactlyOneIsRecorded() throws Exception {
    long id = instance().record(new BreakGlassUse(freshStaff(), CUSTOMER, GOOD_REASON, T));
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      BreakGlassStore store = instance();
      BreakGlassReview.Verdict v = verdict(freshStaff());
      tasks.add(() -> store.review(id, v));
    }
    assertThat(Races.race(tasks)).filteredOn(Boolean::booleanValue).hasSize(1);
  }
}
