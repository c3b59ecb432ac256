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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A smoke run of the HTTP harness against a real Custos, not a benchmark: it asserts only that it measures something sane. */
class ReadLoadTest {

    @TempDir
    Path tmp;

    @Test
    void shortRun_withTwoAgents_measuresBothTargetsOverTheirOwnConnectionsAndCleansUp() throws Exception {
        ReadLoad.Config config = new ReadLoad.Config(4, 2, Duration.ofMillis(300), Duration.ofMillis(400), Duration.ofSeconds(1), 1, 6, tmp,
                1_000_000, 0, null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        List<ReadLoad.Result> results = new ReadLoad(config, new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        assertThat(results).extracting(ReadLoad.Result::target)
                .containsExactly(ReadLoad.Target.HELLO, ReadLoad.Target.READ);
        for (ReadLoad.Result r : results) {
            assertThat(r.requests()).as("%s requests", r.target()).isPositive();
            assertThat(r.samples()).isEqualTo(r.requests());
            assertThat(r.p50Nanos()).isPositive();
            assertThat(r.p50Nanos()).isLessThanOrEqualTo(r.p99Nanos());
            assertThat(r.p99Nanos()).isLessThanOrEqualTo(r.p999Nanos());
            assertThat(r.p999Nanos()).isLessThanOrEqualTo(r.maxNanos());
            assertThat(r.maxNanos()).as("only requests inside the window count").isLessThanOrEqualTo(config.window().toNanos());
            assertThat(r.connections()).as("one connection per client, on Linux").isIn(-1, 4);
        }
        assertThat(ReadLoad.table(results)).contains("| hello-world |", "| masked-read |", "| 1.00 |", "… of it JIT");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("prewarmed 0.4 s");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("the data directory is deleted").isEmpty();
        }
    }

    @Test
    void openLoop_startsRequestsOnSchedule_andServesAboutTheOfferedRate() throws Exception {
        ReadLoad.Config config = new ReadLoad.Config(4, 2, Duration.ofMillis(500), Duration.ZERO, Duration.ofSeconds(2), 1, 6, tmp,
                1_000_000, 40, null);

        List<ReadLoad.Result> results = new ReadLoad(config, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).run();

        for (ReadLoad.Result r : results) {
            // 40/s over a 2 s window is 80 due; a few at the window's end may be answered after it.
            assertThat(r.requests()).as("%s requests", r.target()).isBetween(60L, 81L);
            assertThat(r.p50Nanos()).isPositive();
        }
        assertThat(ReadLoad.openLoopVerdict(results, 40)).contains("open loop at 40 requests/s offered");
    }

    @Test
    void parse_rate_mustBeANonNegativeNumber() {
        assertThat(ReadLoad.Config.parse("--rate", "2500").rate()).isEqualTo(2500);
        assertThat(ReadLoad.Config.parse().rate()).as("closed loop by default").isZero();
        assertThatThrownBy(() -> ReadLoad.Config.parse("--rate", "-1")).hasMessageContaining("--rate");
        assertThatThrownBy(() -> ReadLoad.Config.parse("--rate", "NaN")).hasMessageContaining("--rate");
    }

    @Test
    void parse_prewarm_isNoneByDefault_andMustNotBeNegative() {
        assertThat(ReadLoad.Config.parse().prewarm()).isZero();
        assertThat(ReadLoad.Config.parse("--prewarm", "60").prewarm()).isEqualTo(Duration.ofSeconds(60));
        assertThatThrownBy(() -> ReadLoad.Config.parse("--prewarm", "-1")).hasMessageContaining("--prewarm");
    }

    @Test
    void parse_withUnknownOption_isRefusedNamingIt() {
        assertThatThrownBy(() -> ReadLoad.Config.parse("--conections", "64"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--conections");
    }

    @Test
    void parse_withFewerCustomersThanAgents_isRefusedNamingBoth() {
        assertThatThrownBy(() -> ReadLoad.Config.parse("--connections", "8", "--customers", "4"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--customers").hasMessageContaining("--agents");
    }

    @Test
    void parse_withoutArguments_givesTheIssuesSetting() {
        ReadLoad.Config c = ReadLoad.Config.parse();

        assertThat(c.connections()).isEqualTo(64);
        assertThat(c.agents()).isEqualTo(64);
        assertThat(c.window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.customers()).isEqualTo(1000);
    }
}
