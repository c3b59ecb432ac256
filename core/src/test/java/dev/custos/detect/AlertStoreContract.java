package dev.custos.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link AlertStore} must have; fresh ids, so a shared database needs no cleanup. */
public abstract class AlertStoreContract {
  private static final Instant T = Instant.parse("2026-11-21T09:00:00Z");

  /** A store; every call during one test MUST return an instance over the same state. */
  protected abstract AlertStore instance();

  static Alert alert(Instant at) {
    StaffId staff = new StaffId("s-" + UUID.randomUUID().toString().substring(0, 12));
    Assessment a = new Assessment(staff, at, Measure.SUSPEND, 14.25,
        List.of(new Reading(Signal.VOLUME, 12, 1.5, 2.25, 9.5), new Reading(Signal.NO_TICKET, 0.9, 0.01, 0.02, 8)));
    return new Alert("a-" + UUID.randomUUID().toString().substring(0, 20), a, 42);
  }

  private static StaffId analyst() {
    return new StaffId("an-" + UUID.randomUUID().toString().substring(0, 12));
  }

  @Test
  public void addedAlert_isOpen_withItsAssessmentIntact() {
    Alert a = alert(T);
    instance().add(a);
    TrackedAlert t = instance().find(a.id()).orElseThrow();
    assertThat(t.status()).isEqualTo(TrackedAlert.Status.OPEN);
    assertThat(t.alert()).isEqualTo(a);
    assertThat(t.verdict()).isEmpty();
  }

  @Test
  public void addingTwice_changesNothing() {
    Alert a = alert(T);
    instance().add(a);
    assertThat(instance().acknowledge(a.id(), analyst(), T.plusSeconds(1))).isTrue();
    instance().add(a);
    assertThat(instance().find(a.id()).orElseThrow().status()).isEqualTo(TrackedAlert.Status.ACKNOWLEDGED);
  }

  @Test
  public void acknowledge_onlyOnce() {
    Alert a = alert(T);
    instance().add(a);
    StaffId by = analyst();
    assertThat(instance().acknowledge(a.id(), by, T.plusSeconds(1))).isTrue();
    assertThat(instance().acknowledge(a.id(), analyst(), T.plusSeconds(2))).isFalse();
    assertThat(instance().find(a.id()).orElseThrow().acknowledgedBy()).contains(by);
  }

  @Test
  public void closed_neverChangesAgain() {
    Alert a = alert(T);
    instance().add(a);
    StaffId by = analyst();
    assertThat(instance().assign(a.id(), by, T.plusSeconds(1))).isTrue();
    assertThat(instance().close(a.id(), AlertVerdict.TRUE_POSITIVE, "confirmed with the team lead", by, T.plusSeconds(2)))
        .isTrue();
    assertThat(instance().close(a.id(), AlertVerdict.BENIGN, "", by, T.plusSeconds(3))).isFalse();
    assertThat(instance().assign(a.id(), analyst(), T.plusSeconds(3))).isFalse();
    assertThat(instance().acknowledge(a.id(), analyst(), T.plusSeconds(3))).isFalse();
    TrackedAlert t = instance().find(a.id()).orElseThrow();
    assertThat(t.status()).isEqualTo(TrackedAlert.Status.CLOSED);
    assertThat(t.verdict()).contains(AlertVerdict.TRUE_POSITIVE);
    assertThat(t.closedBy()).contains(by);
    assertThat(t.assignee()).contains(by);
    assertThat(t.note()).isEqualTo("confirmed with the team lead");
  }

  @Test
  public void unknownAlert_isRefusedEverywhere() {
    String id = "a-unknown-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(instance().find(id)).isEmpty();
    assertThat(instance().acknowledge(id, analyst(), T)).isFalse();
    assertThat(instance().assign(id, analyst(), T)).isFalse();
    assertThat(instance().close(id, AlertVerdict.FALSE_POSITIVE, "", analyst(), T)).isFalse();
  }

  @Test
  public void list_isNewestFirst_andFiltersByStatus() {
    Instant base = Instant.parse("2099-01-01T00:00:00Z").plusSeconds((long) (Math.random() * 1_000_000));
    Alert older = alert(base);
    Alert newer = alert(base.plusSeconds(60));
    instance().add(older);
    instance().add(newer);
    instance().close(older.id(), AlertVerdict.BENIGN, "", analyst(), base.plusSeconds(61));
    List<String> all = instance().list(Optional.empty(), 1000).stream().map(t -> t.alert().id()).toList();
    assertThat(all.indexOf(newer.id())).isLessThan(all.indexOf(older.id())).isNotNegative();
    assertThat(instance().list(Optional.of(TrackedAlert.Status.OPEN), 1000)).extracting(t -> t.alert().id())
        .contains(newer.id()).doesNotContain(older.id());
  }
}
