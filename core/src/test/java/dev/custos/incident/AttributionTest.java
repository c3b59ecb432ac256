package dev.custos.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.Action;
import dev.custos.access.StaffId;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AttributionTest {
  static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
  static final StaffId EVE = new StaffId("eve");
  static final StaffId BOB = new StaffId("bob");
  static final StaffId CAROL = new StaffId("carol");
  static final Map<String, String> MASKED = Map.of("email", "partial-email", "phone", "last-4", "name", "initial");

  static Commitment customer(int n) {
    byte[] b = new byte[32];
    b[0] = (byte) (n >> 8);
    b[1] = (byte) n;
    b[2] = 7;
    return Commitment.fromBytes(b);
  }

  long next;

  Access access(int minute, StaffId staff, String session, int customer, Map<String, String> fields) {
    return new Access(next++, T0.plusSeconds(60L * minute), staff, session, Action.VIEW, customer(customer), "ticket",
        Optional.of("T-" + next), fields);
  }

  /** Eve saw 1..20 (1..10 in her second session), Bob 15..60, Carol 1..3 with the phone revealed; 200 others by dan. */
  MemoryAccessIndex desk() {
    MemoryAccessIndex index = new MemoryAccessIndex();
    int minute = 0;
    for (int c = 1; c <= 20; c++) {
      index.add(access(minute++, EVE, c <= 10 ? "s-eve-2" : "s-eve-1", c, MASKED));
    }
    for (int c = 15; c <= 60; c++) {
      index.add(access(minute++, BOB, "s-bob", c, MASKED));
    }
    for (int c = 1; c <= 3; c++) {
      index.add(access(minute++, CAROL, "s-carol", c, Map.of("phone", "none", "email", "partial-email")));
    }
    for (int c = 100; c < 300; c++) {
      index.add(access(minute++, new StaffId("dan"), "s-dan", c, MASKED));
    }
    return index;
  }

  static List<ResolvedSample.Match> sample(int from, int to, Map<String, Exposure.Shown> fields) {
    List<ResolvedSample.Match> out = new ArrayList<>();
    for (int c = from; c <= to; c++) {
      out.add(new ResolvedSample.Match(out.size() + 1, customer(c), fields));
    }
    return out;
  }

  @Test
  void attribute_ranksFirstThePersonWhoseAccessesExplainTheWholeSample() {
    Attribution.Result r = Attribution.attribute(desk(), Attribution.Input.of(sample(1, 10, Map.of())));
    assertThat(r.first()).contains(EVE);
    Attribution.Candidate eve = r.staff().getFirst();
    assertThat(eve.explained()).isEqualTo(10);
    assertThat(eve.explainedLines()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(eve.volume()).isEqualTo(20);
    assertThat(eve.log10Chance()).isCloseTo(Overlap.log10Tail(r.population(), 20, 10, 10), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(r.staff()).extracting(Attribution.Candidate::staff).containsExactly(EVE, CAROL);
    assertThat(r.population()).isEqualTo(260);
    assertThat(r.unexplained()).isEmpty();
  }

  @Test
  void attribute_ranksTheSessionThatSawTheSampleFirst() {
    Attribution.Result r = Attribution.attribute(desk(), Attribution.Input.of(sample(1, 10, Map.of())));
    assertThat(r.sessions().getFirst().session()).contains("s-eve-2");
    assertThat(r.sessions().getFirst().volume()).isEqualTo(10);
  }

  @Test
  void aClearPhoneInTheLeak_isExplainedOnlyByARevealOfThePhone() {
    Attribution.Result r = Attribution.attribute(desk(),
        Attribution.Input.of(sample(1, 3, Map.of("phone", Exposure.Shown.REVEALED))));
    assertThat(r.first()).contains(CAROL);
    Attribution.Candidate eve = r.staff().stream().filter(c -> c.staff().equals(EVE)).findFirst().orElseThrow();
    assertThat(eve.explained()).isZero();
    assertThat(eve.accessedOnly()).isEqualTo(3);
    assertThat(eve.log10Chance()).isZero();
  }

  @Test
  void aMaskedFieldInTheLeak_isExplainedByAnyViewThatShowedIt_butAFieldNeverShownIsNot() {
    Attribution.Result masked = Attribution.attribute(desk(),
        Attribution.Input.of(sample(1, 3, Map.of("email", Exposure.Shown.MASKED))));
    assertThat(masked.staff()).allSatisfy(c -> assertThat(c.explained()).isEqualTo(3));
    Attribution.Result address = Attribution.attribute(desk(),
        Attribution.Input.of(sample(1, 3, Map.of("address", Exposure.Shown.MASKED))));
    assertThat(address.staff()).allSatisfy(c -> assertThat(c.explained()).isZero());
    assertThat(address.unexplained()).containsExactly(1, 2, 3);
  }

  @Test
  void aDecoyInTheLeak_namesWhoTouchedItAndWhomItWasAssignedTo_withCertaintyAboveAnyScore() {
    MemoryAccessIndex index = desk();
    index.add(access(10_000, BOB, "s-bob", 999, MASKED));
    Attribution.DecoyMatch decoy = new Attribution.DecoyMatch(customer(999), 11, Set.of(BOB, CAROL));
    Attribution.Result r = Attribution.attribute(index, new Attribution.Input(sample(1, 10, Map.of()), List.of(decoy),
        List.of(), Instant.MIN, Instant.MAX, 10));
    assertThat(r.staff()).extracting(Attribution.Candidate::staff).startsWith(BOB, CAROL, EVE);
    assertThat(r.staff().getFirst().evidence()).containsExactly(new Attribution.DecoyAssigned(customer(999), 11),
        new Attribution.DecoyTouched(customer(999), 11, index.coveredSize() - 1));
    assertThat(r.sessions().getFirst().session()).contains("s-bob");
    assertThat(r.sessions().getFirst().certain()).isTrue();
  }

  @Test
  void aWatermarkCodeReadFromAPicture_namesItsSession() {
    String read = WatermarkCode.of("s-dan").toLowerCase().replace('0', 'o');
    Attribution.Result r = Attribution.attribute(desk(), new Attribution.Input(List.of(), List.of(), List.of(read),
        Instant.MIN, Instant.MAX, 5));
    assertThat(r.first()).contains(new StaffId("dan"));
    assertThat(r.sessions()).singleElement().satisfies(s -> {
      assertThat(s.session()).contains("s-dan");
      assertThat(s.evidence()).containsExactly(new Attribution.Watermark(WatermarkCode.of("s-dan"), "s-dan"));
    });
  }

  @Test
  void theWindow_excludesAccessesOutsideIt() {
    Attribution.Result r = Attribution.attribute(desk(), new Attribution.Input(sample(1, 10, Map.of()), List.of(), List.of(),
        T0.plusSeconds(60L * 10), T0.plusSeconds(60L * 1000), 5));
    assertThat(r.first()).contains(CAROL); // Eve's accesses to 1..10 fall before the window
  }

  @Test
  void input_refusesABadWatermarkAndAnEmptyRequest() {
    assertThatThrownBy(() -> new Attribution.Input(List.of(), List.of(), List.of("nope"), Instant.MIN, Instant.MAX, 5))
        .hasMessageContaining("watermark 'nope'");
    assertThatThrownBy(() -> new Attribution.Input(List.of(), List.of(), List.of(), Instant.MIN, Instant.MAX, 5))
        .hasMessageContaining("nothing to attribute");
  }

  @Property(tries = 60)
  void attribute_isDeterministicBoundedAndSortedByRank(@ForAll @IntRange(min = 1, max = 40) int sampleSize,
      @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    MemoryAccessIndex index = new MemoryAccessIndex();
    long i = 0;
    for (int e = 0; e < 800; e++) {
      StaffId s = new StaffId("a" + r.nextInt(12));
      int c = r.nextInt(300);
      index.add(new Access(i++, T0.plusSeconds(e), s, s.value() + "-" + r.nextInt(3), Action.VIEW, customer(c), "ticket",
          Optional.empty(), r.nextBoolean() ? MASKED : Map.of("email", "none")));
    }
    List<ResolvedSample.Match> sample = new ArrayList<>();
    for (int k = 0; k < sampleSize; k++) {
      sample.add(new ResolvedSample.Match(k + 1, customer(r.nextInt(320)),
          r.nextBoolean() ? Map.of() : Map.of("email", r.nextBoolean() ? Exposure.Shown.MASKED : Exposure.Shown.REVEALED)));
    }
    Attribution.Input in = new Attribution.Input(sample, List.of(), List.of(), Instant.MIN, Instant.MAX, 50);
    Attribution.Result a = Attribution.attribute(index, in);
    Attribution.Result b = Attribution.attribute(index, in);
    assertThat(a).isEqualTo(b);
    assertThat(a.staff()).isSortedAccordingTo(Attribution.RANKING);
    assertThat(a.sessions()).isSortedAccordingTo(Attribution.RANKING);
    for (Attribution.Candidate c : a.staff()) {
      assertThat(c.explained()).isBetween(0, a.sampleSize());
      assertThat(c.log10Chance()).isLessThanOrEqualTo(0);
      assertThat(c.volume()).isGreaterThanOrEqualTo(c.explained());
      assertThat(c.explained() + c.accessedOnly()).isGreaterThan(0);
    }
  }
}
