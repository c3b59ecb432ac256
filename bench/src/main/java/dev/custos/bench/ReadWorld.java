package dev.custos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.Password;
import dev.custos.identity.Scope;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffAdmin;
import dev.custos.identity.Totp;
import dev.custos.identity.TotpSecret;
import dev.custos.server.Administration;
import dev.custos.server.ConfigLoader;
import dev.custos.server.Custos;
import dev.custos.server.CustosConfig;
import dev.custos.server.WebhookSignature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;

/**
  * A running Custos set up for {@link ReadLoad}: the embedded PostgreSQL in a temporary data
  * directory, {@code agents} support-l1 members of staff logged in over HTTP, {@code customers}
  * customers written through {@code PUT /v1/customers/{id}} with a service token, and one open
  * ticket per customer assigned to agent {@code i % agents} through the signed ticket webhook. Closing
  * stops Custos and deletes the data directory.
  *
  * <p>Everything goes through the same public HTTP routes a real installation's backend and ticket
  * system use; only the staff accounts and the service token are made offline with
  * {@link Administration}, as {@code custos staff} and {@code custos token} do.
  */
final class ReadWorld implements AutoCloseable {
    private static final String PASSWORD = "marmot cinnamon velvet harbour";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Login attempts an address may make at once (LoginThrottle's default burst is 20; a login is two). */
    private static final int LOGINS_PER_ADDRESS = 8;

    /** One logged-in agent: the session cookie and the customers of its open tickets, with the ticket ids. */
    record Agent(StaffId id, String cookie, List<String> customers, List<String> tickets) {
        Agent {
            customers = List.copyOf(customers);
            tickets = List.copyOf(tickets);
            if (customers.size() != tickets.size() || customers.isEmpty()) {
                throw new IllegalArgumentException("agent " + id.value() + " needs at least one ticket, one customer each");
            }
        }

        @Override
        public String toString() {
            return "Agent[" + id.value() + ", " + tickets.size() + " tickets, cookie=redacted]";
        }
    }

    private final Path dir;
    private final Custos custos;
    private final List<Agent> agents;

    private ReadWorld(Path dir, Custos custos, List<Agent> agents) {
        this.dir = dir;
        this.custos = custos;
        this.agents = agents;
    }

    /**
      * Starts Custos in a new temporary directory under {@code parent} and sets up the agents,
      * customers and tickets; on failure everything taken is released before the exception leaves.
      */
    static ReadWorld start(Path parent, int agentCount, int customerCount, java.io.PrintStream log) throws Exception {
        if (customerCount < agentCount) {
            throw new IllegalArgumentException("--customers (" + customerCount + ") must be at least --agents (" + agentCount
                    + ") so that every agent has a ticket");
        }
        Path dir = Files.createTempDirectory(parent, "custos-read-load-");
        Custos custos = null;
        try {
            InstantSource clock = InstantSource.system();
            CustosConfig config = ConfigLoader.load(Map.of("data", dir.resolve("custos").toString(),
                    "http.bind", "127.0.0.1", "http.port", Integer.toString(freePort())), Map.of(), null, dir);
            List<StaffId> ids = new ArrayList<>();
            for (int a = 0; a < agentCount; a++) {
                ids.add(new StaffId(String.format("agent-%03d", a)));
            }
            long t0 = System.nanoTime();
            Map<StaffId, TotpSecret> totp = new LinkedHashMap<>();
            String token;
            WebhookSignature ticketSystem;
            try (Administration admin = Administration.open(config, clock, RandomGenerator.getDefault())) {
                // Each enrolment hashes a password with Argon2id (64 MiB): two at a time is what two cores do.
                List<TotpSecret> secrets = parallel(ids.size(), 2, i -> enrol(admin, ids.get(i)));
                for (int i = 0; i < ids.size(); i++) {
                    totp.put(ids.get(i), secrets.get(i));
                }
                token = admin.issueToken("read-load", Set.of(Scope.CUSTOMERS_WRITE), Optional.empty(), "bench")
                        .token().revealText();
                ticketSystem = admin.ticketWebhook();
            }
            log.printf("  %d agents enrolled in %.1f s%n", agentCount, (System.nanoTime() - t0) / 1e9);
            custos = Custos.start(config, clock, RandomGenerator.getDefault(), Custos.Progress.NONE);
            URI base = custos.baseUri();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            t0 = System.nanoTime();
            parallel(customerCount, 8, i -> {
                expect200("PUT customer " + i, send(http, HttpRequest.newBuilder(base.resolve("/v1/customers/" + customer(i)))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(json(Map.of("fields", record(i))))).build()));
                return null;
            });
            log.printf("  %d customers written in %.1f s%n", customerCount, (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            parallel(customerCount, 8, i -> {
                expect200("ticket " + i, ticket(http, base, ticketSystem, clock, ticket(i), customer(i),
                        ids.get(i % agentCount)));
                return null;
            });
            log.printf("  %d tickets assigned in %.1f s%n", customerCount, (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            List<Agent> agents = parallel(agentCount, 2, a -> {
                StaffId id = ids.get(a);
                List<String> customers = new ArrayList<>();
                List<String> tickets = new ArrayList<>();
                for (int i = a; i < customerCount; i += agentCount) {
                    customers.add(customer(i));
                    tickets.add(ticket(i));
                }
                return new Agent(id, login(base, id, totp.get(id), a / LOGINS_PER_ADDRESS), customers, tickets);
            });
            log.printf("  %d agents logged in in %.1f s%n", agentCount, (System.nanoTime() - t0) / 1e9);
            return new ReadWorld(dir, custos, agents);
        } catch (Exception | Error e) {
            if (custos != null) {
                custos.close();
            }
            AppendLoad.deleteTree(dir);
            throw e;
        }
    }

    URI base() {
        return custos.baseUri();
    }

    int port() {
        return custos.port();
    }

    /** The embedded PostgreSQL's postmaster (its backends are its children), from {@code postmaster.pid}. */
    Optional<ProcessHandle> postmaster() {
        try {
            String first = Files.readAllLines(custos.config().postgresDir().resolve("postmaster.pid")).getFirst();
            return ProcessHandle.of(Long.parseLong(first.strip()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    List<Agent> agents() {
        return agents;
    }

    static String customer(int i) {
        return String.format("cust-%06d", i);
    }

    static String ticket(int i) {
        return String.format("T-%06d", i);
    }

    /** Every field of the default catalogue, with realistic values that differ per customer. */
    static Map<String, Object> record(int i) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", "Customer Number" + i);
        f.put("email", "customer." + i + "@example.com");
        f.put("phone", String.format("+44 20 7946 %04d", i % 10_000));
        f.put("date_of_birth", "1987-04-12");
        f.put("address", Map.of("line1", i + " Baker Street", "city", "London", "postcode", "NW1 6XE", "country", "GB"));
        f.put("nationality", "GB");
        f.put("government_id", String.format("QQ%06dC", i));
        f.put("id_documents", List.of("doc-passport-" + i, "doc-selfie-" + i));
        f.put("tax_id", String.format("%010d", i));
        f.put("bank_account", String.format("GB29NWBK601613%08d", i));
        f.put("balances", Map.of("BTC", "1.52", "USD", "12500.10"));
        f.put("account_tier", "vip");
        f.put("account_status", "active");
        f.put("two_factor_method", "totp");
        f.put("withdrawal_addresses", List.of("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"));
        f.put("recent_logins", List.of(Map.of("at", "2026-11-20T08:00:00Z", "ip", "198.51.100.23", "device", "iPhone")));
        f.put("recent_transactions", "3 deposits, 1 withdrawal in 30 days");
        f.put("kyc_status", "verified");
        f.put("support_notes", "prefers e-mail");
        return f;
    }

    private static TotpSecret enrol(Administration admin, StaffId id) {
        StaffAccount account = StaffAccount.create(id, "Agent " + id.value(), Set.of(Role.SUPPORT_L1),
                Optional.of("desk-1"), StaffAccount.Origin.LOCAL, Instant.now());
        try (Password p = Password.copyOf(PASSWORD.toCharArray())) {
            return switch (admin.staff().createLocal(account, p, "bench")) {
                case StaffAdmin.Outcome.Done<StaffAdmin.Enrolment> done -> done.value().totp().secret();
                case StaffAdmin.Outcome<StaffAdmin.Enrolment> other -> throw new IllegalStateException(
                        "enrolling " + id.value() + " failed: " + other);
            };
        }
    }

    /** A ticket event as the ticket system sends it, signed: base64(HMAC-SHA256(secret, timestamp + body)). */
    private static HttpResponse<String> ticket(HttpClient http, URI base, WebhookSignature ticketSystem, InstantSource clock,
            String ticket, String customer, StaffId assignee) throws Exception {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", ticket);
        t.put("requester_id", customer);
        t.put("assignee_id", assignee.value());
        t.put("status", "open");
        t.put("channel", "email");
        t.put("category", "account-access");
        t.put("created_by_staff", false);
        String now = clock.instant().toString();
        t.put("updated_at", now);
        byte[] body = json(Map.of("event", "created", "ticket", t)).getBytes(StandardCharsets.UTF_8);
        return send(http, HttpRequest.newBuilder(base.resolve("/v1/integrations/tickets"))
                .header("Content-Type", "application/json")
                .header(WebhookSignature.SIGNATURE_HEADER, ticketSystem.sign(now, body))
                .header(WebhookSignature.TIMESTAMP_HEADER, now)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /**
      * Logs in with password then TOTP code and returns the {@code custos_session} cookie. Agents log in
      * from different loopback addresses (127.0.0.10 and up, {@value #LOGINS_PER_ADDRESS} per address)
      * because the login throttle limits attempts per client address.
      */
    private static String login(URI base, StaffId id, TotpSecret totp, int addressSlot) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .localAddress(InetAddress.getByName("127.0.0." + (10 + addressSlot))).build();
        Map<String, String> cookies = new LinkedHashMap<>();
        HttpResponse<String> first = post(http, base, "/v1/session/login", cookies,
                Map.of("username", id.value(), "password", PASSWORD));
        expect200("login of " + id.value(), first);
        HttpResponse<String> second = post(http, base, "/v1/session/login/second-factor", cookies,
                Map.of("factor", "totp", "code", Totp.DEFAULT.codeAt(totp, Instant.now())));
        expect200("second factor of " + id.value(), second);
        String session = cookies.get("custos_session");
        if (session == null) {
            throw new IllegalStateException("login of " + id.value() + " set no custos_session cookie; cookies: "
                    + cookies.keySet());
        }
        http.close();
        return "custos_session=" + session;
    }

    private static HttpResponse<String> post(HttpClient http, URI base, String path, Map<String, String> cookies,
            Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body)));
        if (!cookies.isEmpty()) {
            b.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        HttpResponse<String> r = send(http, b.build());
        for (String set : r.headers().allValues("set-cookie")) {
            String pair = set.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String value = pair.substring(eq + 1);
            if (value.isEmpty()) {
                cookies.remove(pair.substring(0, eq));
            } else {
                cookies.put(pair.substring(0, eq), value);
            }
        }
        return r;
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static void expect200(String what, HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            String body = r.body();
            throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + r.request().method() + " "
                    + r.uri().getPath() + ": " + (body.length() > 500 ? body.substring(0, 500) + "..." : body));
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static JsonNode parse(String body) throws IOException {
        return JSON.readTree(body);
    }

    /** Runs {@code task} for 0 to n-1 on {@code threads} threads; the results in order, or the first failure. */
    private static <T> List<T> parallel(int n, int threads, ThrowingIntFunction<T> task) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<T>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> task.apply(index)));
            }
            List<T> out = new ArrayList<>(n);
            for (Future<T> f : futures) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    pool.shutdownNow();
                    if (e.getCause() instanceof Exception ex) {
                        throw ex;
                    }
                    throw e;
                }
            }
            return out;
        }
    }

    @FunctionalInterface
    private interface ThrowingIntFunction<T> {
        T apply(int i) throws Exception;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        custos.close();
        AppendLoad.deleteTree(dir);
    }
}
