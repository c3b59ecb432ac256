package dev.custos.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.Role;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OidcSettingsTest {
  private static OidcSettings.Builder complete() {
    return OidcSettings.builder()
        .issuer(URI.create("https://login.exchange.example/realms/staff"))
        .clientId("custos-console")
        .clientSecret("correct-horse-battery-staple-client-secret")
        .redirectUri(URI.create("https://custos.exchange.example/v1/auth/oidc/callback"))
        .groupRoles(Map.of("support-agents", Set.of(Role.SUPPORT_L1)));
  }

  @Test
  void defaults_requireMfaAndReadTheStandardClaims() {
    OidcSettings settings = complete().build();

    assertThat(settings.mfaRequired()).isTrue();
    assertThat(settings.requiredAmr()).containsExactly("mfa");
    assertThat(settings.requiredAcr()).containsExactlyInAnyOrder("phr", "phrh", "http://schemas.openid.net/pape/policies/2007/06/multi-factor");
    assertThat(settings.scopes()).containsExactly("openid", "profile", "email");
    assertThat(settings.usernameClaim()).isEqualTo("preferred_username");
    assertThat(settings.groupsClaim()).isEqualTo("groups");
    assertThat(settings.clockSkew()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void toString_neverShowsTheClientSecret() {
    assertThat(complete().build().toString()).doesNotContain("correct-horse").contains("clientSecret=***");
  }

  @Test
  void build_withoutARequiredKey_failsNamingIt() {
    assertThatThrownBy(() -> OidcSettings.builder().build()).hasMessageContaining("oidc.issuer");
    assertThatThrownBy(() -> OidcSettings.builder().issuer(URI.create("https://idp.example")).build())
        .hasMessageContaining("oidc.client-id");
    assertThatThrownBy(() -> complete().groupRoles(Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("oidc.group-roles");
  }

  @Test
  void issuer_overPlainHttp_isRefused_exceptOnLoopback() {
    assertThatThrownBy(() -> complete().issuer(URI.create("http://login.exchange.example")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("oidc.issuer must use https (http only for localhost)");
    assertThat(complete().issuer(URI.create("http://localhost:8081/issuer1")).build().issuer()).hasHost("localhost");
    assertThat(complete().issuer(URI.create("http://127.0.0.1:8081")).build().issuer()).hasHost("127.0.0.1");
  }

  @Test
  void issuer_withQueryOrFragment_isRefused() {
    assertThatThrownBy(() -> complete().issuer(URI.create("https://idp.example/?tenant=1"))).hasMessageContaining("oidc.issuer");
    assertThatThrownBy(() -> complete().issuer(URI.create("https://idp.example/#x"))).hasMessageContaining("oidc.issuer");
    assertThatThrownBy(() -> complete().issuer(URI.create("/relative"))).hasMessageContaining("oidc.issuer");
  }

  @Test
  void redirectUri_overPlainHttpOrWithAFragment_isRefused() {
    assertThatThrownBy(() -> complete().redirectUri(URI.create("http://custos.exchange.example/cb"))).hasMessageContaining("oidc.redirect-uri");
    assertThatThrownBy(() -> complete().redirectUri(URI.create("https://custos.exchange.example/cb#x"))).hasMessageContaining("oidc.redirect-uri");
  }

  @Test
  void emptyClientIdOrSecret_isRefused() {
    assertThatThrownBy(() -> complete().clientId(" ")).hasMessageContaining("oidc.client-id");
    assertThatThrownBy(() -> complete().clientSecret("")).hasMessageContaining("oidc.client-secret");
  }

  @Test
  void scopes_withoutOpenid_areRefused() {
    assertThatThrownBy(() -> complete().scopes(List.of("profile", "email"))).hasMessage("oidc.scopes must include openid");
    assertThatThrownBy(() -> complete().scopes(List.of("openid", "two words"))).hasMessageContaining("oidc.scopes");
    assertThat(complete().scopes(List.of("openid", "groups", "openid")).build().scopes()).containsExactly("openid", "groups");
  }

  @Test
  void requiredMfa_withNoAcceptableAmrOrAcr_isRefused_butMfaMaySwitchOff() {
    assertThatThrownBy(() -> complete().requiredAmr(List.of()).requiredAcr(List.of()).build())
        .hasMessageContaining("oidc.required-amr").hasMessageContaining("oidc.required-acr");
    assertThat(complete().requiredAmr(List.of()).requiredAcr(List.of()).requireMfa(false).build().mfaRequired()).isFalse();
  }

  @Test
  void blankAmrValue_isRefused() {
    assertThatThrownBy(() -> complete().requiredAmr(List.of("mfa", " "))).hasMessageContaining("oidc.required-amr");
  }

  @Test
  void clockSkewAndTimeouts_outOfRange_areRefused() {
    assertThatThrownBy(() -> complete().clockSkew(Duration.ofMinutes(6))).hasMessageContaining("oidc.clock-skew");
    assertThatThrownBy(() -> complete().clockSkew(Duration.ofSeconds(-1))).hasMessageContaining("oidc.clock-skew");
    assertThatThrownBy(() -> complete().connectTimeout(Duration.ZERO)).hasMessageContaining("oidc.connect-timeout");
    assertThatThrownBy(() -> complete().readTimeout(Duration.ofMinutes(3))).hasMessageContaining("oidc.read-timeout");
  }

  @Test
  void claimNames_mustBeNonBlank() {
    assertThatThrownBy(() -> complete().usernameClaim("")).hasMessageContaining("oidc.username-claim");
    assertThatThrownBy(() -> complete().groupsClaim(" groups")).hasMessageContaining("oidc.groups-claim");
  }

  @Test
  void groupRoles_areCopied_soLaterChangesToTheCallersMapDoNotLeakIn() {
    var roles = new java.util.HashMap<String, Set<Role>>(Map.of("support-agents", Set.of(Role.SUPPORT_L1)));
    OidcSettings settings = complete().groupRoles(roles).build();
    roles.put("everyone", Set.of(Role.ADMINISTRATOR));

    assertThat(settings.groupRoles()).containsOnlyKeys("support-agents");
  }

  // --- oidc.group-roles

  @Test
  void parseGroupRoles_readsTheDocumentedExample() {
    assertThat(OidcSettings.parseGroupRoles("support-agents=support-l1,security-team=security-analyst"))
        .isEqualTo(Map.of("support-agents", Set.of(Role.SUPPORT_L1), "security-team", Set.of(Role.SECURITY_ANALYST)));
  }

  @Test
  void parseGroupRoles_givesARepeatedGroupEveryRole_andIgnoresWhiteSpace() {
    assertThat(OidcSettings.parseGroupRoles(" leads = support-l1 , leads=approver,\n kyc-team=KYC-REVIEWER "))
        .isEqualTo(Map.of("leads", Set.of(Role.SUPPORT_L1, Role.APPROVER), "kyc-team", Set.of(Role.KYC_REVIEWER)));
  }

  @Test
  void parseGroupRoles_readsQuotedGroupNamesWithCommasEqualsAndQuotes() {
    assertThat(OidcSettings.parseGroupRoles("\"cn=Support,ou=Groups,dc=exchange\"=support-l1,\"say \"\"hi\"\"\"=auditor"))
        .isEqualTo(Map.of("cn=Support,ou=Groups,dc=exchange", Set.of(Role.SUPPORT_L1), "say \"hi\"", Set.of(Role.AUDITOR)));
  }

  @Test
  void parseGroupRoles_unknownRole_failsNamingTheEntryAndTheAcceptedRoles() {
    assertThatThrownBy(() -> OidcSettings.parseGroupRoles("support-agents=support-l1,security-team=secops"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("oidc.group-roles entry 2 (security-team): role must be one of support-l1, support-l2, kyc-reviewer, fraud-analyst, security-analyst, approver, admin, auditor");
  }

  @Test
  void parseGroupRoles_malformedText_failsWithTheRuleBroken() {
    assertThatThrownBy(() -> OidcSettings.parseGroupRoles("")).hasMessageContaining("oidc.group-roles is empty");
    assertThatThrownBy(() -> OidcSettings.parseGroupRoles("support-agents")).hasMessage("oidc.group-roles entry 1 (support-agents): expected <group>=<role>");
    assertThatThrownBy(() -> OidcSettings.parseGroupRoles("=support-l1")).hasMessageContaining("entry 1").hasMessageContaining("group name is empty");
    assertThatThrownBy(() -> OidcSettings.parseGroupRoles("a=support-l1,,b=kyc-reviewer")).hasMessageContaining("entry 2").hasMessageContaining("group name is empty");
    assertThatThrownBy(() -> OidcSettings.parseGroupRoles("a=support-l1,")).hasMessageContaining("entry 2").hasMessageContaining("empty entry");
    assertThatThrownBy(() -> OidcSettings.parseGroupRoles("a=")).hasMessageContaining("entry 1 (a): the role is empty");
    assertThatThrownBy(() -> OidcSettings.parseGroupRoles("\"cn=x,ou=y=support-l1")).hasMessageContaining("not closed");
    assertThatThrownBy(() -> OidcSettings.parseGroupRoles("cn=x,ou=y=support-l1")).hasMessageContaining("entry 1 (cn)");
  }

  @Test
  void parseGroupRoles_resultFeedsTheBuilder() {
    OidcSettings settings = complete().groupRoles(OidcSettings.parseGroupRoles("support-agents=support-l1,security-team=security-analyst")).build();

    assertThat(settings.groupRoles()).containsEntry("security-team", Set.of(Role.SECURITY_ANALYST));
  }
}
