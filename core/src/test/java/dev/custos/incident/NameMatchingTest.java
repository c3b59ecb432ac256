package dev.custos.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.vault.Commitment;
import dev.custos.vault.SearchKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NameMatchingTest {
  static final Map<String, String> MASKED = AttributionTest.MASKED;
  static final StaffId EVE = AttributionTest.EVE;

  /** Customers c-1.. c-9 by id; c-1 has the e-mail ada@example.com; c-7 is a decoy assigned to eve. */
  static final ResolvedSample.Lookup LOOKUP = new ResolvedSample.Lookup() {
    @Override
    public List<CustomerId> find(SearchKey key, String value) {
      return key == SearchKey.EMAIL && key.normalise(value).equals("ada@example.com") ? List.of(new CustomerId("c-1"))
          : List.of();
    }

    @Override
    public Optional<Commitment> commitment(CustomerId customer) {
      return customer.value().matches("c-[1-9]") ? Optional.of(NameMatchingTest.commitment(customer)) : Optional.empty();
    }

    @Override
    public Optional<Set<StaffId>> decoy(CustomerId customer) {
      return customer.value().equals("c-7") ? Optional.of(Set.of(EVE)) : Optional.empty();
    }
  };

  static Commitment commitment(CustomerId c) {
    return AttributionTest.customer(c.value().charAt(2) - '0');
  }

  static NameMatching.Candidate candidate(int n, String name) {
    CustomerId id = new CustomerId("c-" + n);
    return new NameMatching.Candidate(id, commitment(id), name);
  }

  static final List<NameMatching.Candidate> SEEN = List.of(candidate(1, "Ada Lovelace"), candidate(2, "Bob Babbage"),
      candidate(3, "John Smith"), candidate(4, "JOHN SMITH"), candidate(7, "Dee Coy"));

  ResolvedSample byName(String sample) {
    LeakSample s = LeakSample.parse(sample);
    ResolvedSample r = ResolvedSample.resolve(s, LOOKUP);
    return NameMatching.match(r, NameMatching.eligible(s, r, LOOKUP), SEEN, LOOKUP);
  }

  @Test
  void aNameEqualToExactlyOneSeenCustomer_matchesIt_withTheNameAsALeakedField() {
    ResolvedSample r = byName("name,balances\n\"Lovelace, Ada\",12000\n");
    assertThat(r.unresolved()).isEmpty();
    assertThat(r.matched()).singleElement().satisfies(m -> {
      assertThat(m.line()).isEqualTo(2);
      assertThat(m.customer()).isEqualTo(commitment(new CustomerId("c-1")));
      assertThat(m.fields()).containsEntry("name", Exposure.Shown.REVEALED).containsKey("balances");
    });
  }

  @Test
  void aNameSharedBySeveralSeenCustomers_isAmbiguous_andMatchesNobody() {
    ResolvedSample r = byName("name\nJohn Smith\n");
    assertThat(r.matched()).isEmpty();
    assertThat(r.unresolved()).singleElement().satisfies(u -> {
      assertThat(u.line()).isEqualTo(2);
      assertThat(u.reason()).isEqualTo("2 customers seen in the window have this name; the record is ambiguous")
          .doesNotContainIgnoringCase("smith");
    });
  }

  @Test
  void aNameNobodySeenHas_staysUnresolved_andNoNearNameIsTaken() {
    ResolvedSample r = byName("name\nAda Lovelac\n");
    assertThat(r.matched()).isEmpty();
    assertThat(r.unresolved()).singleElement().extracting(ResolvedSample.Unresolved::reason).asString()
        .startsWith("the name matches none of the 5 customers seen");
  }

  @Test
  void aMaskedName_isNeverMatched_butCountsAsMaskedWhenTheRecordIsIdentifiedOtherwise() {
    ResolvedSample r = byName("email,name\nada@example.com,A. L***\n,A. L***\n");
    assertThat(r.matched()).singleElement().satisfies(m -> {
      assertThat(m.line()).isEqualTo(2);
      assertThat(m.fields()).containsEntry("name", Exposure.Shown.MASKED);
    });
    assertThat(r.unresolved()).singleElement().extracting(ResolvedSample.Unresolved::line).isEqualTo(3);
  }

  @Test
  void aNameNeverOverridesAnotherIdentifierThatFindsSomeone() {
    // c-2 exists but the e-mail is c-1's: identifiers disagree; the name (Bob's) must not decide.
    LeakSample s = LeakSample.parse("customer_id,email,name\nc-2,ada@example.com,Bob Babbage\nc-99,,Bob Babbage\n");
    ResolvedSample r = ResolvedSample.resolve(s, LOOKUP);
    assertThat(NameMatching.eligible(s, r, LOOKUP)).extracting(LeakSample.Record::line).containsExactly(3);
    ResolvedSample named = NameMatching.match(r, NameMatching.eligible(s, r, LOOKUP), SEEN, LOOKUP);
    assertThat(named.matched()).extracting(ResolvedSample.Match::line).containsExactly(3);
    assertThat(named.unresolved()).singleElement().extracting(ResolvedSample.Unresolved::line).isEqualTo(2);
  }

  @Test
  void aDecoysName_setsTheRecordApartAsADecoy() {
    ResolvedSample r = byName("name\nDee Coy\n");
    assertThat(r.decoys()).singleElement().satisfies(d -> {
      assertThat(d.line()).isEqualTo(2);
      assertThat(d.assignedTo()).containsExactly(EVE);
    });
    assertThat(r.matched()).isEmpty();
  }

  @Test
  void matchesByName_mergeInLineOrderWithTheOthers() {
    ResolvedSample r = byName("customer_id,name\n,Bob Babbage\nc-3,\n,Ada Lovelace\n");
    assertThat(r.matched()).extracting(ResolvedSample.Match::line).containsExactly(2, 3, 4);
  }

  @Test
  void seen_collectsTheDistinctCustomersOfTheWindow_andStopsPastTheBound() {
    MemoryAccessIndex index = new AttributionTest().desk(); // eve 1..20, bob 15..60, carol 1..3, dan 100..299
    assertThat(NameMatching.seen(index, Set.of(), Instant.MIN, Instant.MAX, 1000).customers()).hasSize(260);
    assertThat(NameMatching.seen(index, Set.of(EVE, AttributionTest.BOB), Instant.MIN, Instant.MAX, 60).customers())
        .hasSize(60);
    NameMatching.Seen over = NameMatching.seen(index, Set.of(), Instant.MIN, Instant.MAX, 259);
    assertThat(over.overflow()).isTrue();
    assertThat(over.customers()).isEmpty();
    // Eve's first ten minutes: customers 1..10.
    assertThat(NameMatching.seen(index, Set.of(EVE), AttributionTest.T0, AttributionTest.T0.plusSeconds(600), 10)
        .customers()).hasSize(10).contains(AttributionTest.customer(1)).doesNotContain(AttributionTest.customer(11));
    assertThat(NameMatching.seen(new MemoryAccessIndex(), Set.of(), Instant.MIN, Instant.MAX, 1).customers()).isEmpty();
  }

  @Test
  void unmatched_replacesTheReasonOfEveryEligibleRecord() {
    LeakSample s = LeakSample.parse("name\nAda Lovelace\nBob Babbage\n");
    ResolvedSample r = ResolvedSample.resolve(s, LOOKUP);
    ResolvedSample u = NameMatching.unmatched(r, NameMatching.eligible(s, r, LOOKUP), "too many");
    assertThat(u.unresolved()).extracting(ResolvedSample.Unresolved::reason).containsExactly("too many", "too many");
  }

  @Test
  void aCandidatesText_neverShowsTheName() {
    assertThat(candidate(1, "Ada Lovelace").toString()).doesNotContain("Ada", "Lovelace");
  }
}
