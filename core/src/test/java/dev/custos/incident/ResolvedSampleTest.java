package dev.custos.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.CustomerId;
import dev.custos.vault.Commitment;
import dev.custos.vault.SearchKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResolvedSampleTest {
  static final Map<String, CustomerId> EMAILS = Map.of("ada@example.com", new CustomerId("c-1"),
      "bob@example.com", new CustomerId("c-2"), "twin@example.com", new CustomerId("c-3"));
  static final Map<String, List<CustomerId>> PHONES = Map.of("+442079460018", List.of(new CustomerId("c-1")),
      "+15550100", List.of(new CustomerId("c-2"), new CustomerId("c-3")));

  static final ResolvedSample.Lookup LOOKUP = ResolvedSample.Lookup.of((key, value) -> switch (key) {
    case EMAIL -> Optional.ofNullable(EMAILS.get(key.normalise(value))).map(List::of).orElse(List.of());
    case PHONE -> PHONES.getOrDefault(key.normalise(value), List.of());
    case GOVERNMENT_ID -> List.of();
  }, c -> c.value().equals("c-9") ? Optional.empty() : Optional.of(ScopeTest.customer(c.value().charAt(2))));

  @Test
  void resolve_byIdEmailAndPhone_andByTheirAgreement() {
    ResolvedSample r = ResolvedSample.resolve(LeakSample.parse("""
        {"customer_id": "c-2"}
        {"email": " Ada@Example.com "}
        {"phone": "+44 20 7946 0018", "email": "ada@example.com", "balances": "12"}
        {"phone": "+1 555 0100", "email": "bob@example.com"}
        """), LOOKUP);
    assertThat(r.unresolved()).isEmpty();
    assertThat(r.matched()).extracting(ResolvedSample.Match::line).containsExactly(1, 2, 3, 4);
    assertThat(r.matched().get(2).fields()).containsOnlyKeys("phone", "email", "balances");
    assertThat(r.matched().get(3).customer()).isEqualTo(ScopeTest.customer('2'));
  }

  @Test
  void resolve_setsDecoysApartWithTheStaffTheyWereAssignedTo() {
    ResolvedSample.Lookup withDecoy = new ResolvedSample.Lookup() {
      @Override
      public List<CustomerId> find(SearchKey key, String value) {
        return LOOKUP.find(key, value);
      }

      @Override
      public Optional<Commitment> commitment(CustomerId customer) {
        return LOOKUP.commitment(customer);
      }

      @Override
      public Optional<java.util.Set<dev.custos.access.StaffId>> decoy(CustomerId customer) {
        return customer.value().equals("c-2") ? Optional.of(java.util.Set.of(new dev.custos.access.StaffId("eve")))
            : Optional.empty();
      }
    };
    ResolvedSample r = ResolvedSample.resolve(LeakSample.parse("customer_id\nc-1\nc-2\n"), withDecoy);
    assertThat(r.matched()).extracting(ResolvedSample.Match::line).containsExactly(2);
    assertThat(r.decoys()).singleElement().satisfies(d -> {
      assertThat(d.line()).isEqualTo(3);
      assertThat(d.assignedTo()).containsExactly(new dev.custos.access.StaffId("eve"));
    });
  }

  @Test
  void resolve_leavesNamesMaskedValuesAmbiguityAndDisagreementUnresolved_withoutPersonalData() {
    ResolvedSample r = ResolvedSample.resolve(LeakSample.parse("""
        {"name": "Ada Lovelace"}
        {"email": "a***@example.com"}
        {"phone": "+1 555 0100"}
        {"phone": "+44 20 7946 0018", "email": "bob@example.com"}
        {"customer_id": "c-9"}
        {"customer_id": "not an id!"}
        """), LOOKUP);
    assertThat(r.matched()).isEmpty();
    assertThat(r.unresolved()).extracting(ResolvedSample.Unresolved::line).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(r.unresolved().getFirst().reason()).contains("names cannot be looked up");
    assertThat(r.unresolved().get(2).reason()).contains("2 customers match");
    assertThat(r.unresolved()).allSatisfy(u -> assertThat(u.reason()).doesNotContain("Ada", "example", "555"));
  }
}
