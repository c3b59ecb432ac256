package dev.custos.decoy;

import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.FieldSpec;
import dev.custos.vault.FieldValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * A deterministic set of decoy customers and their assignment to staff. The same seed, count, id
 * shape and catalogue always give the same decoys, so the set never needs storing in clear: the
 * seed is the secret (the server keeps it encrypted, readable by security with an approval).
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Values follow realistic distributions (names and address formats of several countries,
 *       ages 18-85, heavy-tailed balances with tiers to match) so a decoy's shape does not give it
 *       away; only the seed tells decoys from customers.</li>
 *   <li>Each member of staff is assigned {@code perStaff} decoys by a keyed hash of their id; with
 *       more decoys than {@code perStaff}, different staff mostly meet different decoys, and
 *       {@link #suspects} lists everyone a leaked decoy could have come from.</li>
 *   <li>The caller MUST make sure a decoy id collides with no real customer id and MUST NOT let a
 *       real ticket name a decoy (the detector suspends anyone touching one).</li>
 * </ul>
 */
public final class Decoys {
  private final long seed;
  private final List<DecoyCustomer> customers;
  private final Map<CustomerId, DecoyCustomer> byId;
  private final int perStaff;

  private Decoys(long seed, List<DecoyCustomer> customers, int perStaff) {
    this.seed = seed;
    this.customers = List.copyOf(customers);
    this.perStaff = perStaff;
    Map<CustomerId, DecoyCustomer> m = new LinkedHashMap<>();
    for (DecoyCustomer d : customers) {
      if (m.put(d.id(), d) != null) {
        throw new IllegalArgumentException("the id shape gave decoy id " + d.id() + " twice; use a wider id space");
      }
    }
    this.byId = m;
  }

  /**
   * Generates {@code count} decoys.
   *
   * @param seed the secret the decoys derive from
   * @param count how many, 1 to 1,000,000
   * @param perStaff how many of them each member of staff may meet, 1 to {@code count}
   * @param idShape a customer id in the exchange's shape for a random number (for example
   *     {@code n -> new CustomerId("cust-" + (n % 90_000_000 + 10_000_000))})
   * @param catalogue the fields to fill; every field must be one this generator knows
   * @throws IllegalArgumentException naming the bad setting or the unknown fields
   */
  public static Decoys generate(long seed, int count, int perStaff, LongFunction<CustomerId> idShape,
      FieldCatalogue catalogue) {
    Objects.requireNonNull(idShape, "idShape");
    Objects.requireNonNull(catalogue, "catalogue");
    if (count < 1 || count > 1_000_000) {
      throw new IllegalArgumentException("count must be between 1 and 1000000, was " + count);
    }
    if (perStaff < 1 || perStaff > count) {
      throw new IllegalArgumentException("perStaff must be between 1 and count (" + count + "), was " + perStaff);
    }
    List<String> unknown = new ArrayList<>();
    for (FieldSpec s : catalogue.specs()) {
      if (!Records.knows(s.field())) {
        unknown.add(s.field().name());
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("no decoy values for fields " + unknown + "; known: " + Records.known());
    }
    List<DecoyCustomer> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      SplittableRandom r = new SplittableRandom(mix(seed, i));
      CustomerId id = idShape.apply(r.nextLong() & Long.MAX_VALUE);
      out.add(new DecoyCustomer(i, id, Records.customer(r, catalogue)));
    }
    return new Decoys(seed, out, perStaff);
  }

  /** Every decoy, in generation order. */
  public List<DecoyCustomer> all() {
    return customers;
  }

  /** Whether {@code customer} is one of the decoys. */
  public boolean isDecoy(CustomerId customer) {
    return byId.containsKey(customer);
  }

  /** The decoy with this id, if it is one. */
  public java.util.Optional<DecoyCustomer> find(CustomerId customer) {
    return java.util.Optional.ofNullable(byId.get(customer));
  }

  /** The decoys {@code staff} may meet (for example in search results), in a stable order. */
  public List<DecoyCustomer> assignedTo(StaffId staff) {
    Set<Integer> picked = new LinkedHashSet<>();
    SplittableRandom r = new SplittableRandom(mix(seed ^ 0x5DEECE66DL, fingerprint(staff.value())));
    while (picked.size() < perStaff) {
      picked.add(r.nextInt(customers.size()));
    }
    List<DecoyCustomer> out = new ArrayList<>(perStaff);
    for (int i : picked) {
      out.add(customers.get(i));
    }
    return out;
  }

  /** Whether {@code decoy} is among those assigned to {@code staff}. */
  public boolean assigned(StaffId staff, CustomerId decoy) {
    for (DecoyCustomer d : assignedTo(staff)) {
      if (d.id().equals(decoy)) {
        return true;
      }
    }
    return false;
  }

  /** Who among {@code staff} could have seen every one of {@code leaked} (the decoys found in a leaked list). */
  public List<StaffId> suspects(Collection<StaffId> staff, Collection<CustomerId> leaked) {
    List<StaffId> out = new ArrayList<>();
    for (StaffId s : staff) {
      Set<CustomerId> mine = new LinkedHashSet<>();
      assignedTo(s).forEach(d -> mine.add(d.id()));
      boolean all = true;
      for (CustomerId c : leaked) {
        if (isDecoy(c) && !mine.contains(c)) {
          all = false;
          break;
        }
      }
      if (all) {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "Decoys[" + customers.size() + " decoys, " + perStaff + " per staff]";
  }

  static long mix(long seed, long n) {
    long z = seed + (n + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static long fingerprint(String text) {
    long h = 0xCBF29CE484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001B3L;
    }
    return h;
  }

  /** Value generators for each known field. */
  static final class Records {
    private Records() {}

    private static final Set<String> FIELDS = Set.of("name", "email", "phone", "date_of_birth", "address", "nationality",
        "government_id", "id_documents", "tax_id", "bank_account", "balances", "account_tier", "account_status",
        "two_factor_method", "withdrawal_addresses", "recent_logins", "recent_transactions", "kyc_status", "support_notes");

    static boolean knows(Field f) {
      return FIELDS.contains(f.name());
    }

    static String known() {
      return String.join(", ", new java.util.TreeSet<>(FIELDS));
    }

    /** Countries, weighted by a plausible European exchange's customer mix. */
    private static final Country[] COUNTRIES = {
        new Country("GB", "+44 7", 9, new String[] {"Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Noah", "Sophie"},
            new String[] {"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts", "Walker"},
            new String[] {"London", "Manchester", "Leeds", "Bristol", "Glasgow", "Cardiff"}, new String[] {"High Street", "Station Road", "Church Lane", "Victoria Road"}, 22),
        new Country("DE", "+49 15", 9, new String[] {"Lukas", "Mia", "Leon", "Emma", "Finn", "Hannah", "Paul", "Lea", "Jonas", "Lina"},
            new String[] {"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Koch"},
            new String[] {"Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Leipzig"}, new String[] {"Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schulstraße"}, 18),
        new Country("FR", "+33 6", 8, new String[] {"Gabriel", "Louise", "Raphaël", "Jade", "Léo", "Ambre", "Louis", "Alice", "Arthur", "Chloé"},
            new String[] {"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"},
            new String[] {"Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille"}, new String[] {"Rue de la République", "Avenue Jean Jaurès", "Rue Victor Hugo", "Boulevard Pasteur"}, 14),
        new Country("ES", "+34 6", 8, new String[] {"Hugo", "Lucía", "Martín", "Sofía", "Pablo", "Martina", "Daniel", "Julia", "Alejandro", "Paula"},
            new String[] {"García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz"},
            new String[] {"Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Málaga"}, new String[] {"Calle Mayor", "Calle Real", "Avenida de la Constitución", "Plaza España"}, 10),
        new Country("NL", "+31 6", 8, new String[] {"Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Levi", "Tess", "Finn", "Sophie"},
            new String[] {"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer"},
            new String[] {"Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven"}, new String[] {"Kerkstraat", "Dorpsstraat", "Molenweg", "Schoolstraat"}, 8),
        new Country("PL", "+48 5", 8, new String[] {"Jakub", "Zuzanna", "Jan", "Julia", "Antoni", "Zofia", "Szymon", "Hanna", "Filip", "Maja"},
            new String[] {"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak"},
            new String[] {"Warszawa", "Kraków", "Łódź", "Wrocław", "Poznań", "Gdańsk"}, new String[] {"ulica Polna", "ulica Leśna", "ulica Słoneczna", "ulica Krótka"}, 8),
        new Country("US", "+1 ", 10, new String[] {"Liam", "Olivia", "Noah", "Emma", "James", "Charlotte", "Elijah", "Amelia", "William", "Mia"},
            new String[] {"Johnson", "Miller", "Davis", "Garcia", "Rodriguez", "Martinez", "Anderson", "Thomas", "Moore", "Jackson"},
            new String[] {"New York", "Austin", "Chicago", "Seattle", "Denver", "Miami"}, new String[] {"Main Street", "Oak Avenue", "Maple Drive", "Park Avenue"}, 12),
        new Country("BR", "+55 11 9", 8, new String[] {"Miguel", "Helena", "Arthur", "Alice", "Gael", "Laura", "Heitor", "Manuela", "Théo", "Valentina"},
            new String[] {"Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes"},
            new String[] {"São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Recife"}, new String[] {"Rua das Flores", "Avenida Paulista", "Rua São João", "Rua Sete de Setembro"}, 8),
    };
    private static final String[] DOMAINS = {"gmail.com", "gmail.com", "gmail.com", "outlook.com", "yahoo.com", "icloud.com",
        "proton.me", "hotmail.com", "gmx.de", "orange.fr", "web.de"};
    private static final String[] ASSETS = {"BTC", "ETH", "USDT", "USDC", "SOL", "EUR", "USD", "XRP", "ADA"};

    private record Country(String code, String phonePrefix, int phoneDigits, String[] first, String[] last, String[] cities,
        String[] streets, int weight) {}

    static Map<Field, FieldValue> customer(SplittableRandom r, FieldCatalogue catalogue) {
      Country c = country(r);
      String first = pick(r, c.first());
      String last = pick(r, c.last());
      // Balances: log-normal total in EUR (median about 600, a long tail into the millions).
      double total = Math.exp(6.4 + 2.2 * r.nextGaussian());
      String tier = total > 250_000 ? "vip" : total > 25_000 ? "pro" : total > 2_500 ? "plus" : "standard";
      Map<Field, FieldValue> out = new LinkedHashMap<>();
      for (FieldSpec s : catalogue.specs()) {
        String f = s.field().name();
        FieldValue v = switch (f) {
          case "name" -> text(first + " " + last);
          case "email" -> text(email(r, first, last));
          case "phone" -> text(c.phonePrefix() + digits(r, c.phoneDigits()));
          case "date_of_birth" -> text(birthDate(r));
          case "address" -> address(r, c);
          case "nationality" -> text(r.nextInt(10) == 0 ? country(r).code() : c.code());
          case "government_id" -> text(c.code() + digits(r, 9));
          case "id_documents" -> items(r, 1 + r.nextInt(2), () -> text("doc-" + hex(r, 16)));
          case "tax_id" -> text(digits(r, 11));
          case "bank_account" -> text((c.code().equals("US") ? "US" : c.code()) + digits(r, 2) + " " + digits(r, 4) + " "
              + digits(r, 4) + " " + digits(r, 4) + " " + digits(r, 4));
          case "balances" -> balances(r, total);
          case "account_tier" -> text(tier);
          case "account_status" -> text(weighted(r, new String[] {"active", "restricted", "closed"}, new int[] {93, 5, 2}));
          case "two_factor_method" -> text(weighted(r, new String[] {"totp", "webauthn", "sms", "none"}, new int[] {55, 20, 20, 5}));
          case "withdrawal_addresses" -> items(r, r.nextInt(4), () -> text(r.nextBoolean() ? "bc1q" + hex(r, 38) : "0x" + hex(r, 40)));
          case "recent_logins" -> items(r, 1 + r.nextInt(5), () -> FieldValue.Entries.of(Map.of(
              "at", text(recentInstant(r)), "ip", text((1 + r.nextInt(223)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254))),
              "device", text(pick(r, new String[] {"iPhone", "Android", "Chrome on Windows", "Safari on macOS", "Firefox on Linux"})))));
          case "recent_transactions" -> items(r, r.nextInt(8), () -> FieldValue.Entries.of(Map.of(
              "at", text(recentInstant(r)), "asset", text(pick(r, ASSETS)),
              "amount", text(amount(Math.exp(4 + 2 * r.nextGaussian()))),
              "kind", text(pick(r, new String[] {"deposit", "withdrawal", "trade", "trade", "trade"})))));
          case "kyc_status" -> text(weighted(r, new String[] {"verified", "pending", "rejected", "expired"}, new int[] {86, 8, 3, 3}));
          case "support_notes" -> text(r.nextInt(3) == 0 ? "" : pick(r, new String[] {"asked about withdrawal delay",
              "reset 2FA after phone change", "address proof re-uploaded", "fee question", "card payment declined"}));
          default -> throw new IllegalStateException("unknown field " + f);
        };
        out.put(s.field(), v);
      }
      return out;
    }

    private static Country country(SplittableRandom r) {
      int total = 0;
      for (Country c : COUNTRIES) {
        total += c.weight();
      }
      int x = r.nextInt(total);
      for (Country c : COUNTRIES) {
        x -= c.weight();
        if (x < 0) {
          return c;
        }
      }
      return COUNTRIES[0];
    }

    private static String email(SplittableRandom r, String first, String last) {
      String f = ascii(first);
      String l = ascii(last).replace(" ", "");
      String local = switch (r.nextInt(4)) {
        case 0 -> f + "." + l;
        case 1 -> f.charAt(0) + l;
        case 2 -> f + l + (1950 + r.nextInt(56));
        default -> f + "_" + l + r.nextInt(100);
      };
      return local + "@" + pick(r, DOMAINS);
    }

    private static String ascii(String s) {
      String n = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
          .replace("ł", "l").replace("Ł", "L");
      return n.toLowerCase(Locale.ROOT);
    }

    private static String birthDate(SplittableRandom r) {
      // Ages 18-85, skewed young like exchange customers (median about 36).
      int age = 18 + (int) Math.min(67, Math.abs(r.nextGaussian() * 14 + 14));
      int year = 2025 - age;
      return year + "-" + two(1 + r.nextInt(12)) + "-" + two(1 + r.nextInt(28));
    }

    private static FieldValue address(SplittableRandom r, Country c) {
      Map<String, FieldValue> parts = new TreeMap<>();
      String street = pick(r, c.streets());
      String number = Integer.toString(1 + r.nextInt(180));
      parts.put("line1", text(switch (c.code()) {
        case "GB", "US" -> number + " " + street;
        case "FR" -> number + " " + street;
        default -> street + " " + number;
      }));
      parts.put("city", text(pick(r, c.cities())));
      parts.put("postcode", text(switch (c.code()) {
        case "GB" -> (char) ('A' + r.nextInt(26)) + "" + (char) ('A' + r.nextInt(26)) + (1 + r.nextInt(20)) + " " + r.nextInt(10)
            + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26));
        case "NL" -> (1000 + r.nextInt(9000)) + " " + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26));
        case "PL" -> digits(r, 2) + "-" + digits(r, 3);
        case "BR" -> digits(r, 5) + "-" + digits(r, 3);
        default -> digits(r, 5);
      }));
      parts.put("country", text(c.code()));
      return FieldValue.Entries.of(parts);
    }

    private static FieldValue balances(SplittableRandom r, double total) {
      Map<String, FieldValue> parts = new TreeMap<>();
      int n = 1 + (int) Math.min(5, Math.abs(r.nextGaussian() * 1.5));
      double left = total;
      for (int i = 0; i < n; i++) {
        String asset = pick(r, ASSETS);
        double share = i == n - 1 ? left : left * (0.3 + 0.6 * r.nextDouble());
        left -= share;
        parts.merge(asset, text(amount(share)), (a, b) -> b);
      }
      return FieldValue.Entries.of(parts);
    }

    private static String amount(double v) {
      return new java.math.BigDecimal(v).setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String recentInstant(SplittableRandom r) {
      long seconds = 1_735_689_600L + r.nextLong(180L * 86_400);
      return java.time.Instant.ofEpochSecond(seconds).toString();
    }

    private static FieldValue items(SplittableRandom r, int n, java.util.function.Supplier<FieldValue> item) {
      List<FieldValue> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(item.get());
      }
      return new FieldValue.Items(out);
    }

    private static FieldValue text(String s) {
      return new FieldValue.Text(s);
    }

    private static String pick(SplittableRandom r, String[] values) {
      return values[r.nextInt(values.length)];
    }

    private static String weighted(SplittableRandom r, String[] values, int[] weights) {
      int total = 0;
      for (int w : weights) {
        total += w;
      }
      int x = r.nextInt(total);
      for (int i = 0; i < values.length; i++) {
        x -= weights[i];
        if (x < 0) {
          return values[i];
        }
      }
      return values[values.length - 1];
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
  }
}
