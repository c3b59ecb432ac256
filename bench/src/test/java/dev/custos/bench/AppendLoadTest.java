package dev.custos.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A smoke run of the harness, not a benchmark: it asserts only that it measures something sane. */
class AppendLoadTest {

    @TempDir
    Path tmp;

    @Test
    void shortRun_atFourAppenders_measuresBothTargetsAndCleansUp() throws Exception {
        AppendLoad.Config config = new AppendLoad.Config(List.of(4), Duration.ofMillis(200), Duration.ofSeconds(1), 1,
                200, tmp, List.of(AppendLoad.Kind.RAW, AppendLoad.Kind.LEDGER), 1_000_000, Duration.ofMillis(200), null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        List<AppendLoad.Result> results = new AppendLoad(config, new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        assertThat(results).extracting(AppendLoad.Result::kind)
                .containsExactly(AppendLoad.Kind.RAW, AppendLoad.Kind.LEDGER);
        for (AppendLoad.Result r : results) {
            assertThat(r.appenders()).isEqualTo(4);
            assertThat(r.appends()).as("%s appends", r.kind()).isPositive();
            assertThat(r.samples()).isEqualTo(r.appends());
            assertThat(r.p50Nanos()).isPositive();
            assertThat(r.p50Nanos()).isLessThanOrEqualTo(r.p99Nanos());
            assertThat(r.p99Nanos()).isLessThanOrEqualTo(r.p999Nanos());
            assertThat(r.p999Nanos()).isLessThanOrEqualTo(r.maxNanos());
            assertThat(r.maxNanos()).as("only appends inside the window count").isLessThanOrEqualTo(config.window().toNanos());
        }
        assertThat(AppendLoad.table(results)).contains("| 4 | raw |", "| 4 | ledger |");
        try (var left = Files.list(tmp)) {
            assertThat(left.toList()).as("temporary directories left behind").isEmpty();
        }
    }

    @Test
    void parse_ofUnknownOption_isRefused() {
        assertThatThrownBy(() -> AppendLoad.Config.parse("--appenderz", "4"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--appenderz");
    }

    @Test
    void parse_ofZeroAppenders_isRefused() {
        assertThatThrownBy(() -> AppendLoad.Config.parse("--appenders", "0,64"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--appenders");
    }

    @Test
    void parse_overridesDefaults() {
        AppendLoad.Config c = AppendLoad.Config.parse("--appenders", "1,8", "--seconds", "0.5", "--targets", "ledger");
        assertThat(c.appenders()).containsExactly(1, 8);
        assertThat(c.window()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.kinds()).containsExactly(AppendLoad.Kind.LEDGER);
    }
}
