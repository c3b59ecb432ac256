package dev.custos.decoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.FieldValue;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class DecoysTest {
  private static final LongFunction<CustomerId> SHAPE = n -> new CustomerId("cust-" + (n % 90_000_000 + 10_000_000));
  private static final FieldCatalogue CATALOGUE = FieldCatalogue.exchangeDefault();

  @Property(tries = 20)
  void theSameSeed_givesTheSameDecoys(@ForAll long seed) {
    Decoys a = Decoys.generate(seed, 50, 5, SHAPE, CATALOGUE);
    Decoys b = Decoys.generate(seed, 50, 5, SHAPE, CATALOGUE);
    assertThat(a.all()).extracting(DecoyCustomer::id).isEqualTo(b.all().stream().map(DecoyCustomer::id).toList());
    assertThat(a.all()).extracting(DecoyCustomer::fields).isEqualTo(b.all().stream().map(DecoyCustomer::fields).toList());
  }

  @Test
  void everyDecoy_hasAValueForEveryFieldOfTheCatalogue() {
    for (DecoyCustomer d : Decoys.generate(1, 200, 5, SHAPE, CATALOGUE).all()) {
      assertThat(d.fields().keySet()).isEqualTo(CATALOGUE.fields());
      assertThat(((FieldValue.Text) d.fields().get(new Field("email"))).value()).matches("[a-z0-9._]+@[a-z.]+");
      assertThat(((FieldValue.Text) d.fields().get(new Field("date_of_birth"))).value()).matches("(19|20)\\d\\d-\\d\\d-\\d\\d");
    }
  }

  @Test
  void balances_areHeavyTailedAndTiersFollowThem() {
    List<DecoyCustomer> all = Decoys.generate(2, 5000, 5, SHAPE, CATALOGUE).all();
    long vip = all.stream().filter(DecoyCustomer::highValue).count();
    long standard = all.stream().filter(d -> ((FieldValue.Text) d.fields().get(new Field("account_tier"))).value().equals("standard")).count();
    assertThat(vip).isBetween(5L, 250L); // a few percent at most
    assertThat(standard).isGreaterThan(all.size() / 2);
  }

  @Test
  void addresses_spanSeveralCountries() {
    Set<String> countries = new HashSet<>();
    for (DecoyCustomer d : Decoys.generate(3, 500, 5, SHAPE, CATALOGUE).all()) {
      FieldValue.Entries a = (FieldValue.Entries) d.fields().get(new Field("address"));
      countries.add(((FieldValue.Text) a.values().get("country")).value());
    }
    assertThat(countries).hasSizeGreaterThanOrEqualTo(6);
  }

  @Test
  void eachStaffMember_isAssignedTheirOwnDecoys_andALeakNamesTheViewer() {
    Decoys decoys = Decoys.generate(4, 1000, 3, SHAPE, CATALOGUE);
    List<StaffId> staff = IntStream.range(0, 200).mapToObj(i -> new StaffId("agent-" + i)).toList();
    StaffId leaker = staff.get(17);
    List<CustomerId> leaked = decoys.assignedTo(leaker).stream().map(DecoyCustomer::id).toList();
    assertThat(decoys.assignedTo(leaker)).isEqualTo(decoys.assignedTo(leaker)).hasSize(3);
    assertThat(decoys.suspects(staff, leaked)).containsExactly(leaker);
    assertThat(decoys.assigned(leaker, leaked.getFirst())).isTrue();
  }

  @Test
  void generate_refusesFieldsItCannotFill() {
    FieldCatalogue odd = FieldCatalogue.parse("favourite_colour = internal, none, view: support-l1");
    assertThatThrownBy(() -> Decoys.generate(1, 10, 1, SHAPE, odd))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("favourite_colour");
  }

  @Test
  void generate_refusesMoreDecoysPerStaffThanDecoys() {
    assertThatThrownBy(() -> Decoys.generate(1, 10, 11, SHAPE, CATALOGUE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perStaff");
  }

  @Test
  void toString_showsNoValues() {
    DecoyCustomer d = Decoys.generate(5, 1, 1, SHAPE, CATALOGUE).all().getFirst();
    assertThat(d.toString()).doesNotContain("@").doesNotContain(d.id().value());
  }
}
