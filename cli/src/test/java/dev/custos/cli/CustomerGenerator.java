package dev.custos.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Synthetic customers for import tests and the million-record measurement: deterministic for a
 * seed, shaped like an exchange's records (12 fields: name, e-mail, phone, birth date, postal
 * address, nationality, government and tax ids, bank account, tier, status, 2FA method, KYC status,
 * balances, withdrawal addresses), about 700 bytes a line. Ids are {@code cust-<n>}.
 *
 * <p>{@code java -cp ... dev.custos.cli.CustomerGenerator N OUT.jsonl [SEED]} writes a file.
 */
final class CustomerGenerator {
  private static final String[] FIRST = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken",
      "Margaret", "Linus", "Radia", "Tim", "Sophie", "Yukihiro", "Hedy", "Claude", "Anita", "John", "Leslie", "Niklaus"};
  private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen",
      "Thompson", "Hamilton", "Torvalds", "Perlman", "Berners-Lee", "Wilson", "Matsumoto", "Lamarr", "Shannon", "Borg",
      "Backus", "Lamport", "Wirth"};
  private static final String[][] CITIES = {{"Paris", "FR", "75"}, {"Berlin", "DE", "10"}, {"Madrid", "ES", "28"},
      {"Lisbon", "PT", "11"}, {"Dublin", "IE", "D0"}, {"Amsterdam", "NL", "10"}, {"Milan", "IT", "20"},
      {"Vienna", "AT", "10"}, {"Warsaw", "PL", "00"}, {"Tallinn", "EE", "10"}};
  private static final String[] STREETS = {"Rue de Rivoli", "Unter den Linden", "Gran Via", "Rua Augusta", "Grafton Street",
      "Damrak", "Via Torino", "Graben", "Nowy Swiat", "Viru"};
  private static final String[] TIERS = {"standard", "standard", "standard", "plus", "pro", "vip"};
  private static final String[] STATUS = {"active", "active", "active", "active", "restricted", "closed"};
  private static final String[] TWO_FACTOR = {"totp", "totp", "webauthn", "sms"};
  private static final String[] KYC = {"verified", "verified", "verified", "pending", "rejected"};
  private static final String[] ASSETS = {"BTC", "ETH", "USDT", "EUR", "SOL"};

  private CustomerGenerator() {}

  /** Writes customers {@code first} to {@code first + count - 1} of the stream for {@code seed}. */
  static void write(Writer out, long first, long count, long seed) throws IOException {
    StringBuilder line = new StringBuilder(1024);
    for (long n = first; n < first + count; n++) {
      line.setLength(0);
      append(line, n, new SplittableRandom(seed ^ (n * 0x9E3779B97F4A7C15L)));
      line.append('\n');
      out.append(line);
    }
  }

  private static void append(StringBuilder s, long n, SplittableRandom r) {
    String first = pick(r, FIRST);
    String last = pick(r, LAST);
    String[] city = CITIES[r.nextInt(CITIES.length)];
    s.append("{\"id\":\"cust-").append(n).append("\",\"fields\":{");
    s.append("\"name\":\"").append(first).append(' ').append(last).append("\",");
    s.append("\"email\":\"").append(first.toLowerCase(Locale.ROOT)).append('.')
        .append(last.toLowerCase(Locale.ROOT)).append('.').append(n).append("@example.com\",");
    s.append("\"phone\":\"+33 6 ").append(digits(r, 2)).append(' ').append(digits(r, 2)).append(' ')
        .append(digits(r, 2)).append(' ').append(digits(r, 2)).append("\",");
    s.append("\"date_of_birth\":\"").append(1950 + r.nextInt(55)).append('-').append(two(1 + r.nextInt(12))).append('-')
        .append(two(1 + r.nextInt(28))).append("\",");
    s.append("\"address\":{\"line1\":\"").append(1 + r.nextInt(200)).append(' ').append(pick(r, STREETS))
        .append("\",\"city\":\"").append(city[0]).append("\",\"postcode\":\"").append(city[2]).append(digits(r, 3))
        .append("\",\"country\":\"").append(city[1]).append("\"},");
    s.append("\"nationality\":\"").append(city[1]).append("\",");
    s.append("\"government_id\":\"").append(city[1]).append(digits(r, 9)).append("\",");
    s.append("\"tax_id\":\"").append(digits(r, 11)).append("\",");
    s.append("\"bank_account\":\"").append(city[1]).append(digits(r, 2)).append(" ").append(digits(r, 4)).append(' ')
        .append(digits(r, 4)).append(' ').append(digits(r, 4)).append(' ').append(digits(r, 4)).append("\",");
    s.append("\"account_tier\":\"").append(pick(r, TIERS)).append("\",");
    s.append("\"account_status\":\"").append(pick(r, STATUS)).append("\",");
    s.append("\"two_factor_method\":\"").append(pick(r, TWO_FACTOR)).append("\",");
    s.append("\"kyc_status\":\"").append(pick(r, KYC)).append("\",");
    s.append("\"balances\":{");
    int assets = 1 + r.nextInt(3);
    for (int i = 0; i < assets; i++) {
      s.append(i == 0 ? "" : ",").append('"').append(ASSETS[(i + r.nextInt(ASSETS.length)) % ASSETS.length]
          + (i == 0 ? "" : "_" + i)).append("\":").append(r.nextInt(100_000)).append('.').append(digits(r, 4));
    }
    s.append("},\"withdrawal_addresses\":[\"bc1q").append(hex(r, 38)).append("\"]}}");
  }

  private static String pick(SplittableRandom r, String[] values) {
    return values[r.nextInt(values.length)];
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }

  private static String digits(SplittableRandom r, int count) {
    StringBuilder s = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      s.append((char) ('0' + r.nextInt(10)));
    }
    return s.toString();
  }

  private static String hex(SplittableRandom r, int count) {
    StringBuilder s = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      s.append("0123456789abcdef".charAt(r.nextInt(16)));
    }
    return s.toString();
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: CustomerGenerator N OUT.jsonl [SEED]");
      System.exit(2);
    }
    long count = Long.parseLong(args[0]);
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
    try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8)) {
      write(out, 1, count, seed);
    }
  }
}
