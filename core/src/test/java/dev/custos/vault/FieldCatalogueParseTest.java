package dev.custos.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.Role;
import org.junit.jupiter.api.Test;

class FieldCatalogueParseTest {
  @Test
  public void lines_becomeSpecs_withCommentsAndBlankLinesIgnored() {
    FieldCatalogue c = FieldCatalogue.parse("""
        # the desk
        email = confidential, partial-email, view: support-l1 support-l2, reveal: support-l2   # e-mail

        account_status = public, none
        """);

    assertThat(c.fields()).extracting(Field::name).containsExactly("email", "account_status");
    FieldSpec email = c.spec(new Field("email")).orElseThrow();
    assertThat(email.classification()).isEqualTo(Classification.CONFIDENTIAL);
    assertThat(email.defaultMask()).isEqualTo(Mask.PARTIAL_EMAIL);
    assertThat(email.viewers()).containsExactlyInAnyOrder(Role.SUPPORT_L1, Role.SUPPORT_L2);
    assertThat(email.revealers()).containsExactly(Role.SUPPORT_L2);
    assertThat(c.spec(new Field("account_status")).orElseThrow().viewers()).isEmpty();
  }

  @Test
  public void theExampleOfTheDesignDocument_parses() {
    FieldCatalogue c = FieldCatalogue.parse("""
        # Comments start with '#', anywhere on a line; blank lines are ignored.
        # <field> = <classification>, <default mask>[, view: <role> <role> ...][, reveal: <role> ...]
        name          = confidential, initial, view: support-l1 support-l2 kyc-reviewer, reveal: support-l2 kyc-reviewer
        email         = confidential, partial-email, view: support-l1 support-l2, reveal: support-l2
        balances      = secret, range-bucket, view: support-l1 fraud-analyst, reveal: fraud-analyst
        account_status = public, none, view: support-l1
        kyc_status    = internal, none          # no view: no role sees it
        """);

    assertThat(c.fields()).hasSize(5);
    assertThat(c.spec(new Field("kyc_status")).orElseThrow().viewers()).isEmpty();
  }

  @Test
  public void theDefaultCatalogue_roundTripsThroughText() {
    FieldCatalogue d = FieldCatalogue.exchangeDefault();

    FieldCatalogue parsed = FieldCatalogue.parse(d.toText());

    assertThat(parsed.specs()).containsExactlyElementsOf(d.specs());
  }

  @Test
  public void anUnknownRole_isRefusedNamingLineAndField() {
    assertThatThrownBy(() -> FieldCatalogue.parse("name = confidential, initial\nemail = confidential, none, view: agent"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2").hasMessageContaining("email")
        .hasMessageContaining("support-l1");
  }

  @Test
  public void aRevealerWhoIsNotAViewer_isRefusedNamingLineAndField() {
    assertThatThrownBy(() -> FieldCatalogue.parse("phone = confidential, last-4, view: support-l1, reveal: support-l2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(
            "line 1 (field phone): role support-l2 may reveal it but is not among its viewers");
  }

  @Test
  public void aDuplicateField_isRefusedNamingBothLines() {
    assertThatThrownBy(() -> FieldCatalogue.parse("email = confidential, none\n# x\nemail = internal, none"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 3").hasMessageContaining("line 1")
        .hasMessageContaining("email");
  }

  @Test
  public void malformedLines_areRefusedNamingTheLine() {
    assertThatThrownBy(() -> FieldCatalogue.parse("email confidential")).hasMessageStartingWith("line 1:");
    assertThatThrownBy(() -> FieldCatalogue.parse("Email = confidential, none")).hasMessageStartingWith("line 1:");
    assertThatThrownBy(() -> FieldCatalogue.parse("email = confidential")).hasMessageContaining("line 1 (field email)");
    assertThatThrownBy(() -> FieldCatalogue.parse("email = secretive, none")).hasMessageContaining("classification");
    assertThatThrownBy(() -> FieldCatalogue.parse("email = secret, blurred")).hasMessageContaining("mask");
    assertThatThrownBy(() -> FieldCatalogue.parse("email = secret, none, see: admin")).hasMessageContaining("view:");
    assertThatThrownBy(() -> FieldCatalogue.parse("email = secret, none, view: admin, view: auditor")).hasMessageContaining("twice");
    assertThatThrownBy(() -> FieldCatalogue.parse("email = secret, none, view: admin admin")).hasMessageContaining("twice");
    assertThatThrownBy(() -> FieldCatalogue.parse("email = secret, not-shown")).hasMessageContaining("not-shown");
  }

  @Test
  public void anEmptyCatalogue_isRefused() {
    assertThatThrownBy(() -> FieldCatalogue.parse("# nothing\n\n")).hasMessageContaining("no field");
  }
}
