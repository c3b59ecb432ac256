package dev.custos.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerOptions;
import dev.custos.ledger.NoteSigner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
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
    void runsWithLedgerDir_appendToOneLedgerThatStays_andSplitLatenciesByCheckpoint() throws Exception {
        Path kept = tmp.resolve("steady").resolve("ledger");
        Path scratch = Files.createDirectory(tmp.resolve("scratch"));
        AppendLoad.Config config = new AppendLoad.Config(List.of(4), Duration.ofMillis(200), Duration.ofSeconds(1), 1,
                200, scratch, List.of(AppendLoad.Kind.LEDGER), 1_000_000, Duration.ofMillis(200), kept);
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        AppendLoad.Result first = new AppendLoad(config, new PrintStream(log, true, StandardCharsets.UTF_8)).run().get(0);
        long afterFirst = checkpointSize(kept);
        AppendLoad.Result second = new AppendLoad(config, new PrintStream(log, true, StandardCharsets.UTF_8)).run().get(0);

        assertThat(afterFirst).isGreaterThanOrEqualTo(first.appends());
        assertThat(checkpointSize(kept)).as("the second run appended to the first run's ledger")
                .isGreaterThanOrEqualTo(afterFirst + second.appends());
        try (var left = Files.list(scratch)) {
            assertThat(left.toList()).as("temporary directories left behind").isEmpty();
        }
        assertThat(second.threadCpuNanos()).containsKeys("sequencer", "integrator");
        assertThat(second.phases()).hasSize(AppendLoad.PHASES);
        assertThat(second.phases().stream().mapToLong(AppendLoad.Phase::count).sum())
                .as("every sampled append after the first checkpoint of the window is in one bucket")
                .isPositive().isLessThanOrEqualTo(second.samples());
        assertThat(AppendLoad.phaseTable(List.of(second))).contains("| ≥ 1000 ms |");
    }

    private static long checkpointSize(Path ledgerDir) throws Exception {
        NoteSigner key = NoteSigner.loadOrCreate(ledgerDir.resolveSibling("ledger.key"), "custos.bench/ledger",
                new SecureRandom());
        try (Ledger ledger = Ledger.open(ledgerDir, LedgerOptions.of(key))) {
            return ledger.latestCheckpoint().checkpoint().size();
        }
    }

    @Test
    void parse_overridesDefaults() {
        AppendLoad.Config c = AppendLoad.Config.parse("--appenders", "1,8", "--seconds", "0.5", "--targets", "ledger");
        assertThat(c.appenders()).containsExactly(1, 8);
        assertThat(c.window()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.kinds()).containsExactly(AppendLoad.Kind.LEDGER);
    }
}
