package dev.custos.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.vault.Field;
import dev.custos.vault.Mask;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskPlanTest {
  @Test
  void wireNames_namesEachFieldsMaskInNameOrder_whateverThePlanOrder() {
    Map<Field, Mask> masks = new LinkedHashMap<>();
    masks.put(new Field("phone"), Mask.LAST_4);
    masks.put(new Field("email"), Mask.PARTIAL_EMAIL);
    masks.put(new Field("account_status"), Mask.NONE);
    MaskPlan plan = MaskPlan.of(masks);

    assertThat(plan.wireNames()).containsExactly(Map.entry("account_status", Mask.NONE.wireName()),
        Map.entry("email", Mask.PARTIAL_EMAIL.wireName()), Map.entry("phone", Mask.LAST_4.wireName()));
    assertThat(plan.fields()).containsExactly(new Field("phone"), new Field("email"), new Field("account_status"));
  }

  @Test
  void wireNames_cannotBeChanged() {
    MaskPlan plan = MaskPlan.of(Map.of(new Field("email"), Mask.PARTIAL_EMAIL));
    assertThatThrownBy(() -> plan.wireNames().put("email", "none")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(plan.wireNames()).containsExactly(Map.entry("email", Mask.PARTIAL_EMAIL.wireName()));
  }
}
