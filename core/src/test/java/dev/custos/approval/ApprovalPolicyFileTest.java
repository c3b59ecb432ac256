package dev.custos.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.Role;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ApprovalPolicyFileTest {
  @Test
  void emptyFile_isTheDefaults() {
    ApprovalPolicyFile f = ApprovalPolicyFile.parse("# nothing changed\n\n");
    assertThat(f.catalogue().all()).isEqualTo(ApprovalCatalogue.defaults().all());
    assertThat(f.withdrawals()).isEqualTo(WithdrawalRules.defaults());
  }

  @Test
  void overrides_changeOnlyWhatTheyName() {
    ApprovalPolicyFile f = ApprovalPolicyFile.parse("""
        2fa-reset.required = 3          # three people
        2fa-reset.roles = approver, security-analyst fraud-analyst
        2fa-reset.teams = payments-ops
        2fa-reset.time-lock = 2d
        address-whitelist.time-lock = 0s
        withdrawals.whitelist-min-age = 1h
        withdrawals.asset.BTC = 0.5 10 1.25
        withdrawals.asset.SOL = 100 5000 300
        withdrawals.asset.USDT = none
        """);
    ActionPolicy reset = f.catalogue().policy(SensitiveAction.TWO_FACTOR_RESET);
    assertThat(reset.required()).isEqualTo(3);
    assertThat(reset.approverRoles()).containsExactlyInAnyOrder(Role.APPROVER, Role.SECURITY_ANALYST, Role.FRAUD_ANALYST);
    assertThat(reset.approverTeams()).containsExactly("payments-ops");
    assertThat(reset.timeLock()).isEqualTo(Duration.ofDays(2));
    assertThat(reset.expiry()).isEqualTo(ApprovalCatalogue.defaults().policy(SensitiveAction.TWO_FACTOR_RESET).expiry());
    assertThat(f.catalogue().policy(SensitiveAction.ADDRESS_WHITELIST).timeLock()).isZero();
    assertThat(f.catalogue().policy(SensitiveAction.EMAIL_CHANGE))
        .isEqualTo(ApprovalCatalogue.defaults().policy(SensitiveAction.EMAIL_CHANGE));
    assertThat(f.withdrawals().whitelistMinAge()).isEqualTo(Duration.ofHours(1));
    assertThat(f.withdrawals().limits("BTC")).contains(new WithdrawalRules.AssetLimits(new BigDecimal("0.5"),
        new BigDecimal("10"), new BigDecimal("1.25")));
    assertThat(f.withdrawals().assets()).containsOnlyKeys("BTC", "ETH", "SOL");
  }

  @Test
  void errors_nameTheLineAndTheKey() {
    assertThatThrownBy(() -> ApprovalPolicyFile.parse("\n2fa-reset.required = 11")).hasMessage(
        "line 2 (2fa-reset.required): must be a whole number from 1 to 10");
    assertThatThrownBy(() -> ApprovalPolicyFile.parse("2fa-reset.roles = wizard"))
        .hasMessageStartingWith("line 1 (2fa-reset.roles): role must be one of");
    assertThatThrownBy(() -> ApprovalPolicyFile.parse("teleport.required = 2"))
        .hasMessageStartingWith("line 1 (teleport.required): does not name a sensitive action");
    assertThatThrownBy(() -> ApprovalPolicyFile.parse("2fa-reset.expiry = 10s"))
        .hasMessageContaining("line 1: approvals.2fa-reset.expiry must be 1 minute to 30 days");
    assertThatThrownBy(() -> ApprovalPolicyFile.parse("role-grant.notify-customer = true"))
        .hasMessageContaining("line 1: approvals.role-grant.notify-customer is only for actions about a customer");
    assertThatThrownBy(() -> ApprovalPolicyFile.parse("withdrawals.asset.BTC = 5 1 2"))
        .hasMessageStartingWith("line 1 (withdrawals.asset.BTC): asset limits must be");
    assertThatThrownBy(() -> ApprovalPolicyFile.parse("withdrawals.asset.BTC = 1e3 1 2"))
        .hasMessageStartingWith("line 1 (withdrawals.asset.BTC): expected");
    assertThatThrownBy(() -> ApprovalPolicyFile.parse("2fa-reset.time-lock = 1h\n2fa-reset.time-lock = 2h"))
        .hasMessage("line 2 (2fa-reset.time-lock): is already set on line 1");
    assertThatThrownBy(() -> ApprovalPolicyFile.parse("no equals sign")).hasMessage("line 1: expected '<key> = <value>'");
  }

  @Property(tries = 500)
  void anyText_parsesOrFailsWithALineNumber(@ForAll String text) {
    try {
      ApprovalPolicyFile f = ApprovalPolicyFile.parse(text);
      assertThat(f.catalogue().all()).hasSize(SensitiveAction.values().length);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).matches("(?s)(line [0-9]+|withdrawals).*");
    }
  }

  @Property(tries = 200)
  void anyKeyValueLine_parsesOrFailsNamingIt(@ForAll("keys") String key, @ForAll("values") String value) {
    try {
      ApprovalPolicyFile.parse(key + " = " + value);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).startsWith("line 1");
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> keys() {
    return net.jqwik.api.Arbitraries.of(Set.of("2fa-reset.required", "2fa-reset.roles", "withdrawal.teams",
        "withdrawals.asset.BTC", "withdrawals.velocity-window", "bulk-export.time-lock", "decoy-list-read.expiry",
        "withdrawals.asset.x", "email-change.notify-customer"));
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> values() {
    return net.jqwik.api.Arbitraries.oneOf(net.jqwik.api.Arbitraries.of("0", "1", "11", "true", "maybe", "24h", "0s",
        "1 2 3", "none", "approver", "", "-1", "99999999"), net.jqwik.api.Arbitraries.strings().ofMaxLength(12)
        // one line: a value with a line break in it (\n, \r, U+0085, U+2028, U+2029) is two lines of the file
        .filter(v -> !java.util.regex.Pattern.compile("\\R").matcher(v).find()));
  }
}
