package dev.custos.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server time of the console's agent pages, one client at a time (a person clicking, not a load):
 * {@code GET /console/queue}, {@code GET /console/tickets/{t}} (the masked customer: session check,
 * decision, quota, durable ledger append, vault decrypt, masks, the JTE page) and the watermark tile,
 * against {@code GET /healthz} behind the same middleware as the baseline. Server time is the page's
 * own {@code Server-Timing: app;dur=} (handler and template); client time is call to complete body
 * over loopback. Targets alternate request by request, so drift in the machine's load hits all.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.custos.bench.ConsoleLoad [requests per target, default 500]
 * </pre>
 */
public final class ConsoleLoad {
    private static final Pattern DUR = Pattern.compile("app;dur=([0-9.]+)");

    private ConsoleLoad() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        if (n < 10 || n > 100_000) {
            System.err.println("requests per target must be from 10 to 100000");
            System.exit(2);
        }
        Path dir = Files.createTempDirectory("custos-console-bench-");
        try (ReadWorld world = ReadWorld.start(dir, 1, 40, System.out)) {
            ReadWorld.Agent agent = world.agents().getFirst();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String[] labels = {"GET /healthz", "GET /console/queue", "GET /console/tickets/{t}", "GET /console/watermark.svg"};
            double[][] client = new double[labels.length][n];
            double[][] server = new double[labels.length][n];
            int warmup = Math.max(20, n / 10);
            for (int i = -warmup; i < n; i++) {
                for (int t = 0; t < labels.length; t++) {
                    String path = switch (t) {
                        case 0 -> "/healthz";
                        case 1 -> "/console/queue";
                        case 2 -> "/console/tickets/" + agent.tickets().get(Math.floorMod(i, agent.tickets().size()));
                        default -> "/console/watermark.svg";
                    };
                    HttpRequest r = HttpRequest.newBuilder(world.base().resolve(path)).header("Cookie", agent.cookie())
                        .timeout(Duration.ofSeconds(30)).GET().build();
                    long t0 = System.nanoTime();
                    HttpResponse<String> answer = http.send(r, HttpResponse.BodyHandlers.ofString());
                    long t1 = System.nanoTime();
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException(path + " answered " + answer.statusCode() + ": " + answer.body());
                    }
                    if (i >= 0) {
                        client[t][i] = (t1 - t0) / 1e6;
                        Matcher m = DUR.matcher(answer.headers().firstValue("Server-Timing").orElse(""));
                        server[t][i] = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%-28s %8s %8s %8s %8s %8s%n", "page (n=" + n + ")", "srv p50", "srv p99",
                "cli p50", "cli p99", "cli max");
            for (int t = 0; t < labels.length; t++) {
                double[] s = server[t].clone();
                double[] c = client[t].clone();
                Arrays.sort(s);
                Arrays.sort(c);
                System.out.printf(Locale.ROOT, "%-28s %8s %8s %8.2f %8.2f %8.2f%n", labels[t],
                    Double.isNaN(s[0]) ? "-" : String.format(Locale.ROOT, "%.2f", pct(s, 0.5)),
                    Double.isNaN(s[0]) ? "-" : String.format(Locale.ROOT, "%.2f", pct(s, 0.99)),
                    pct(c, 0.5), pct(c, 0.99), c[c.length - 1]);
            }
        } finally {
            if (Files.exists(dir)) {
                AppendLoad.deleteTree(dir);
            }
        }
    }

    private static double pct(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
