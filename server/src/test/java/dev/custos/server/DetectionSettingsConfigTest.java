package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.detect.DetectionPolicy;
import dev.custos.detect.Measure;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionSettingsConfigTest {
  @TempDir
  Path dir;

  private CustosConfig load(Map<String, String> env) throws ConfigException {
    return ConfigLoader.load(Map.of(), env, null, dir);
  }

  private static List<Double> thresholds(DetectionPolicy p) {
    return List.of(p.threshold(Measure.ALERT), p.threshold(Measure.STEP_UP), p.threshold(Measure.THROTTLE),
        p.threshold(Measure.SUSPEND));
  }

  @Test
  void byDefault_theDetectorsOwnThresholdsApply() throws Exception {
    assertThat(thresholds(load(Map.of()).detection())).isEqualTo(thresholds(DetectionPolicy.defaults()))
        .containsExactly(9.5, 10.0, 11.5, 12.0);
  }

  @Test
  void configuredThresholds_replaceOnlyTheThresholds() throws Exception {
    DetectionPolicy p = load(Map.of("CUSTOS_DETECTION_THRESHOLDS", " 8, 10.5 ,12,13.25")).detection();
    assertThat(thresholds(p)).containsExactly(8.0, 10.5, 12.0, 13.25);
    assertThat(p.longWindow()).isEqualTo(DetectionPolicy.defaults().longWindow());
  }

  @Test
  void thresholdsThatAreMissingOutOfOrderOrOnAnotherScale_areRefusedNamingTheKey() {
    for (String bad : List.of("", "9,10,12", "9,10,12,13,14", "10,9,12,13", "9,10,10,13", "0,1,2,3", "-1,10,12,13",
        "90,100,120,130", "9,10,12,31", "9,10,12,NaN", "9,10,12,1e1", "9;10;12;13", "9,10,12,Infinity", "9,,12,13")) {
      assertThatThrownBy(() -> load(Map.of("CUSTOS_DETECTION_THRESHOLDS", bad))).as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("detection.thresholds")
          .hasMessageContaining("strictly increasing");
    }
  }

  @Test
  void configPrint_showsTheThresholdsAsTheyAreReadBack() throws Exception {
    CustosConfig c = load(Map.of("CUSTOS_DETECTION_THRESHOLDS", "8,10.5,12,13"));
    assertThat(c.describe()).contains("detection.thresholds: \"8,10.5,12,13\"    # environment");
    assertThat(load(Map.of()).describe()).contains("detection.thresholds: \"9.5,10,11.5,12\"    # default");
    assertThat(thresholds(load(Map.of("CUSTOS_DETECTION_THRESHOLDS", CustosConfig.thresholdsText(c.detection())))
        .detection())).isEqualTo(thresholds(c.detection()));
  }
}
