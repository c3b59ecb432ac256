package dev.custos.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.ForAll;
import org.junit.jupiter.api.Test;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

class NotificationTemplateTest {
  static final String TEMPLATE = """
      # a comment
      subject: {{exchange}}: your data was accessed ({{incident}})
      category.contact: your contact details
      ---
      Between {{first}} and {{last}} a member of staff saw:
      {{data}}
      """;

  @Test
  void render_substitutesEveryPlaceholder_andUsesTheLabels() {
    NotificationTemplate t = NotificationTemplate.parse("en", TEMPLATE);
    NotificationTemplate.Message m = t.render(Map.of("exchange", "Example", "incident", "inc-1", "first", "1 Nov",
        "last", "3 Nov", "data", "- " + t.label(DataCategory.CONTACT)));
    assertThat(m.subject()).isEqualTo("Example: your data was accessed (inc-1)");
    assertThat(m.body()).isEqualTo("Between 1 Nov and 3 Nov a member of staff saw:\n- your contact details\n");
    assertThat(t.label(DataCategory.FINANCIAL)).isEqualTo("financial");
  }

  @Test
  void unknownPlaceholder_isRefusedWhenRead() {
    assertThatThrownBy(() -> NotificationTemplate.parse("en", "subject: x\n---\nHello {{name}}\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{{name}}");
  }

  @Test
  void missingSubjectOrSeparator_isRefused() {
    assertThatThrownBy(() -> NotificationTemplate.parse("en", "---\nbody\n")).hasMessageContaining("subject");
    assertThatThrownBy(() -> NotificationTemplate.parse("en", "subject: x\nbody\n")).hasMessageContaining("line 2");
  }

  @Test
  void lineBreaksInAValue_neverSplitTheSubject() {
    NotificationTemplate t = NotificationTemplate.parse("de", "subject: Hinweis {{incident}}\n---\nText\n");
    assertThat(t.render(Map.of("incident", "a\r\nBcc: x@example.com")).subject()).doesNotContain("\n", "\r");
  }

  @Property(tries = 500)
  void parse_ofAnyText_eitherReadsOrRefusesWithIllegalArgument(@ForAll @StringLength(max = 300) String text) {
    try {
      NotificationTemplate t = NotificationTemplate.parse("en", text);
      assertThat(t.render(Map.of()).subject()).doesNotContain("\n");
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 200)
  void parse_ofHeaderAndBodyPieces_neverThrowsAnythingElse(@ForAll("pieces") String text) {
    try {
      NotificationTemplate.parse("en", text);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> pieces() {
    return net.jqwik.api.Arbitraries.of("subject: s", "---", "category.contact: c", "{{data}}", "{{x}}", ":", "# c",
        "", "subject:", "category.nope: y", "{{", "}}").list().ofMaxSize(12).map(l -> String.join("\n", l));
  }
}
