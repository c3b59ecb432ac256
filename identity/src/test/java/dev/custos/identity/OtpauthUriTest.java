package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.StaffId;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class OtpauthUriTest {
  private static final TotpSecret SECRET = TotpSecret.parseBase32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").orThrow();

  @Test
  void enrolmentUri_hasTheDocumentedForm() {
    OtpauthUri uri = OtpauthUri.forEnrolment(OtpauthUri.DEFAULT_ISSUER, new StaffId("agent-17"), SECRET, Totp.DEFAULT);

    assertThat(uri.revealText()).isEqualTo("otpauth://totp/Custos:agent-17?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        + "&issuer=Custos&algorithm=SHA1&digits=6&period=30");
  }

  @Test
  void accountAndIssuer_arePercentEncoded() {
    OtpauthUri uri = OtpauthUri.forEnrolment("Custos Staging & Co", new StaffId("ops:eu.agent_1"), SECRET, Totp.DEFAULT);

    assertThat(uri.revealText()).startsWith("otpauth://totp/Custos%20Staging%20%26%20Co:ops%3Aeu.agent_1?secret=")
        .contains("&issuer=Custos%20Staging%20%26%20Co&");
  }

  @Test
  void toString_neverShowsTheSecret() {
    OtpauthUri uri = OtpauthUri.forEnrolment("Custos", new StaffId("agent-17"), SECRET, Totp.DEFAULT);

    assertThat(uri.toString()).doesNotContain("JBSWY3DP").contains("agent-17").contains("***");
  }

  @Test
  void issuerWithAColon_isRefused() {
    assertThatThrownBy(() -> OtpauthUri.forEnrolment("Cus:tos", new StaffId("a"), SECRET, Totp.DEFAULT))
        .hasMessageContaining("issuer");
  }

  @Test
  void enrolmentUri_parsesBackToTheSameSettings() {
    Totp sha256 = new Totp(TotpAlgorithm.SHA256, 8, Duration.ofSeconds(60));
    OtpauthUri uri = OtpauthUri.forEnrolment("Custos Staging", new StaffId("ops:agent-1"), SECRET, sha256);

    OtpauthUri parsed = OtpauthUri.parse(uri.revealText()).orThrow();

    assertThat(parsed.issuer()).isEqualTo("Custos Staging");
    assertThat(parsed.account()).isEqualTo("ops:agent-1");
    assertThat(parsed.secret()).isEqualTo(SECRET);
    assertThat(parsed.totp()).isEqualTo(sha256);
    assertThat(parsed.revealText()).isEqualTo(uri.revealText());
  }

  @Test
  void missingOptionalParameters_takeTheirDefaults() {
    OtpauthUri parsed = OtpauthUri.parse("otpauth://totp/ACME%20Co:john.doe@email.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").orThrow();

    assertThat(parsed.issuer()).isEqualTo("ACME Co");
    assertThat(parsed.account()).isEqualTo("john.doe@email.com");
    assertThat(parsed.totp()).isEqualTo(Totp.DEFAULT);
  }

  @Test
  void malformedUris_areExplained() {
    String base = "otpauth://totp/Custos:a?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    assertThat(problem("otpauth://hotp/Custos:a?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")).contains("otpauth://totp/");
    assertThat(problem(base + "&issuer=Other")).contains("issuer");
    assertThat(problem(base + "&digits=6&digits=8")).contains("repeats the parameter digits");
    assertThat(problem(base + "&algorithm=MD5")).contains("algorithm");
    assertThat(problem(base + "&digits=10")).contains("digits");
    assertThat(problem(base + "&period=0")).contains("period");
    assertThat(problem("otpauth://totp/a?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")).contains("issuer");
    assertThat(problem("otpauth://totp/Custos:a?issuer=Custos")).contains("secret");
    assertThat(problem("otpauth://totp/Custos:%ZZ?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")).contains("percent");
    assertThat(problem(base + "#frag")).contains("fragment");
  }

  @Test
  void problems_neverQuoteTheSecret() {
    assertThat(problem("otpauth://totp/Custos:a?secret=SECRETSECRETSECRET1")).doesNotContain("SECRETSECRET");
  }

  private static String problem(String text) {
    Parsed<OtpauthUri> parsed = OtpauthUri.parse(text);
    assertThat(parsed).as(text).isInstanceOf(Parsed.Invalid.class);
    return ((Parsed.Invalid<OtpauthUri>) parsed).problem();
  }

  @Property(tries = 2000)
  void anyText_parsesToAResultWithoutThrowing(@ForAll String text) {
    assertThat(OtpauthUri.parse(text)).isNotNull();
    assertThat(OtpauthUri.parse("otpauth://totp/" + text)).isNotNull();
    assertThat(OtpauthUri.parse("otpauth://totp/Custos:a?secret=" + text)).isNotNull();
  }

  @Property(tries = 2000)
  void anySingleCharacterEditOfAValidUri_parsesToAResultWithoutThrowing(@ForAll @IntRange(min = 0, max = 103) int position,
      @ForAll char replacement) {
    String valid = OtpauthUri.forEnrolment("Custos", new StaffId("agent-17"), SECRET, Totp.DEFAULT).revealText();
    int at = Math.min(position, valid.length() - 1);

    assertThat(OtpauthUri.parse(valid.substring(0, at) + replacement + valid.substring(at + 1))).isNotNull();
  }
}
