package dev.custos.vault;

import dev.custos.access.CustomerId;
import dev.custos.ledger.Hash;
import dev.custos.ledger.Receipt;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the vault tests and the store contracts share: fixed test keys (the same in every test of a
 * run, so that customers left in a shared database by one test still open in another), fresh
 * customer ids, a typical record, receipts and a ledger whose durable size a test controls.
 */
public final class VaultFixtures {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** KEK 1, the primary of {@link #keys()}. */
  public static final byte[] KEK_1 = random(32);
  /** KEK 2, an older KEK in {@link #keys()}, the primary of {@link #rotatedKeys()}. */
  public static final byte[] KEK_2 = random(32);
  public static final byte[] BLIND_INDEX_KEY = random(32);
  public static final Instant T = Instant.parse("2026-11-21T10:00:00.123456Z");

  private VaultFixtures() {}

  public static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** KEK 1 as the primary, KEK 2 still able to unwrap. */
  public static VaultKeys keys() {
    return VaultKeys.of(List.of(new KekVersion(1, KEK_1), new KekVersion(2, KEK_2)), BLIND_INDEX_KEY);
  }

  /** After a KEK rotation: KEK 2 as the primary, KEK 1 still able to unwrap. */
  public static VaultKeys rotatedKeys() {
    return VaultKeys.of(List.of(new KekVersion(2, KEK_2), new KekVersion(1, KEK_1)), BLIND_INDEX_KEY);
  }

  /** A ledger whose durable size the test sets; starts with 1,000 durable entries. */
  public static final class Ledger {
    public final AtomicLong durable = new AtomicLong(1000);

    /** A receipt for an entry at {@code index}. */
    public Receipt receipt(long index) {
      return new Receipt(index, new Hash(new byte[32]));
    }

    /** A receipt for a durable entry. */
    public Receipt durableReceipt() {
      return receipt(durable.get() - 1);
    }
  }

  public static Vault vault(VaultStore store, Ledger ledger) {
    return vault(store, ledger, keys(), InstantSource.fixed(T));
  }

  public static Vault vault(VaultStore store, Ledger ledger, VaultKeys keys, InstantSource clock) {
    return new Vault(store, FieldCatalogue.exchangeDefault(), keys, ledger.durable::get, clock, new SecureRandom());
  }

  public static CustomerId freshCustomer() {
    return new CustomerId("cust-" + UUID.randomUUID());
  }

  public static Field field(String name) {
    return new Field(name);
  }

  public static FieldValue text(String s) {
    return new FieldValue.Text(s);
  }

  /** A typical exchange record of 12 fields. */
  public static Map<Field, FieldValue> record(String name, String email, String phone) {
    Map<Field, FieldValue> r = new LinkedHashMap<>();
    r.put(field("name"), text(name));
    r.put(field("email"), text(email));
    r.put(field("phone"), text(phone));
    r.put(field("date_of_birth"), text("1987-04-12"));
    Map<String, FieldValue> address = new TreeMap<>();
    address.put("line1", text("221B Baker Street"));
    address.put("city", text("London"));
    address.put("postcode", text("NW1 6XE"));
    address.put("country", text("GB"));
    r.put(field("address"), FieldValue.Entries.of(address));
    r.put(field("nationality"), text("GB"));
    r.put(field("government_id"), text("AB 12 34 56 C"));
    r.put(field("bank_account"), text("GB29 NWBK 6016 1331 9268 19"));
    r.put(field("balances"), FieldValue.Entries.of(Map.of("BTC", text("0.52"), "USD", text("1200.10"))));
    r.put(field("withdrawal_addresses"), new FieldValue.Items(List.of(text("bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"))));
    r.put(field("account_tier"), text("gold"));
    r.put(field("kyc_status"), text("verified"));
    return r;
  }
}
