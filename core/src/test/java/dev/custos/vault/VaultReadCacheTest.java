package dev.custos.vault;

import static dev.custos.vault.VaultFixtures.T;
import static dev.custos.vault.VaultFixtures.field;
import static dev.custos.vault.VaultFixtures.freshCustomer;
import static dev.custos.vault.VaultFixtures.record;
import static dev.custos.vault.VaultFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.CustomerId;
import dev.custos.access.InProcessChangeFeed;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The vault's read cache: fewer store reads for customers being worked on, never stale for this instance's own writes. */
class VaultReadCacheTest {
  private static final Duration TTL = Duration.ofSeconds(1);
  private static final Set<Field> EMAIL = Set.of(field("email"));

  private final AtomicReference<Instant> now = new AtomicReference<>(T);
  private final InstantSource clock = now::get;
  private final InMemoryVaultStore shared = new InMemoryVaultStore();
  private final AtomicInteger reads = new AtomicInteger();
  private final VaultFixtures.Ledger ledger = new VaultFixtures.Ledger();
  private final InProcessChangeFeed feed = new InProcessChangeFeed();
  private final Vault cached = new Vault(counting(shared), FieldCatalogue.exchangeDefault(), VaultFixtures.keys(),
      ledger.durable::get, clock, new SecureRandom(), TTL, feed);
  /** Another instance over the same store and feed. */
  private final Vault other = new Vault(shared, FieldCatalogue.exchangeDefault(), VaultFixtures.keys(),
      ledger.durable::get, clock, new SecureRandom(), TTL, feed);
  /** An instance that publishes nothing (its messages are lost). */
  private final Vault silent = VaultFixtures.vault(shared, ledger, VaultFixtures.keys(), clock);

  /** The store, counting reads. */
  private VaultStore counting(VaultStore store) {
    return (VaultStore) Proxy.newProxyInstance(VaultStore.class.getClassLoader(), new Class<?>[] {VaultStore.class},
        (proxy, method, args) -> {
          if (method.getName().equals("read")) {
            reads.incrementAndGet();
          }
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private String email(Vault vault, CustomerId c) {
    Vault.Prepared p = vault.prepare(c, EMAIL).orElseThrow();
    return ((FieldValue.Text) p.open(ledger.durableReceipt()).values().get(field("email"))).value();
  }

  @Test
  void customerPreparedAgainWithinTheTtl_isReadFromTheStoreOnce() {
    CustomerId c = freshCustomer();
    cached.put(c, record("Ada Lovelace", "ada@example.org", "+44 20 7946 0000"));
    reads.set(0);
    for (int i = 0; i < 5; i++) {
      assertThat(email(cached, c)).isEqualTo("ada@example.org");
    }
    assertThat(reads).hasValue(1);
    now.set(T.plus(TTL));
    assertThat(email(cached, c)).isEqualTo("ada@example.org");
    assertThat(reads).as("read again once the TTL passed").hasValue(2);
  }

  @Test
  void putThroughThisVault_isSeenByTheNextPrepare_atOnce() {
    CustomerId c = freshCustomer();
    cached.put(c, record("Ada Lovelace", "ada@example.org", "+44 20 7946 0000"));
    assertThat(email(cached, c)).isEqualTo("ada@example.org");
    cached.put(c, Map.of(field("email"), text("ada@lovelace.example")));
    assertThat(email(cached, c)).isEqualTo("ada@lovelace.example");
  }

  @Test
  void erasureThroughThisVault_endsReadsAtOnce() {
    CustomerId c = freshCustomer();
    cached.put(c, record("Ada Lovelace", "ada@example.org", "+44 20 7946 0000"));
    assertThat(cached.prepare(c, EMAIL)).isPresent();
    assertThat(cached.erase(c)).isTrue();
    assertThat(cached.prepare(c, EMAIL)).isEmpty();
  }

  @Test
  void changeAndErasureByAnotherInstance_areSeenAsSoonAsTheirMessagesAreHeard() {
    CustomerId c = freshCustomer();
    cached.put(c, record("Ada Lovelace", "ada@example.org", "+44 20 7946 0000"));
    assertThat(email(cached, c)).isEqualTo("ada@example.org");
    other.put(c, Map.of(field("email"), text("ada@lovelace.example")));
    assertThat(email(cached, c)).isEqualTo("ada@lovelace.example");
    other.erase(c);
    assertThat(cached.prepare(c, EMAIL)).isEmpty();
    assertThat(feed.published).contains("customer:" + c.value());
  }

  @Test
  void changeWhoseMessageWasLost_isSeenOnceTheTtlHasPassed() {
    CustomerId c = freshCustomer();
    cached.put(c, record("Ada Lovelace", "ada@example.org", "+44 20 7946 0000"));
    assertThat(email(cached, c)).isEqualTo("ada@example.org");
    silent.put(c, Map.of(field("email"), text("ada@lovelace.example")));
    now.set(T.plus(TTL));
    assertThat(email(cached, c)).isEqualTo("ada@lovelace.example");
  }

  @Test
  void whileTheFeedIsDown_everyPrepareReadsTheStore() {
    CustomerId c = freshCustomer();
    cached.put(c, record("Ada Lovelace", "ada@example.org", "+44 20 7946 0000"));
    email(cached, c);
    feed.down();
    reads.set(0);
    email(cached, c);
    email(cached, c);
    assertThat(reads).hasValue(2);
  }

  @Test
  void cachedRecord_stillNeedsADurableReceipt() {
    CustomerId c = freshCustomer();
    cached.put(c, record("Ada Lovelace", "ada@example.org", "+44 20 7946 0000"));
    email(cached, c);
    Vault.Prepared p = cached.prepare(c, EMAIL).orElseThrow();
    assertThatThrownBy(() -> p.open(ledger.receipt(ledger.durable.get()))).isInstanceOf(ReceiptNotDurableException.class);
  }

  @Test
  void cachedRecord_opensOnlyThePreparedFields_andTheSameCommitment() {
    CustomerId c = freshCustomer();
    cached.put(c, record("Ada Lovelace", "ada@example.org", "+44 20 7946 0000"));
    Vault.Prepared first = cached.prepare(c, EMAIL).orElseThrow();
    Vault.Prepared second = cached.prepare(c, Set.of(field("name"))).orElseThrow();
    assertThat(second.open(ledger.durableReceipt()).values()).containsOnlyKeys(field("name"));
    assertThat(first.commitment()).isEqualTo(second.commitment()).isEqualTo(other.commitment(c).orElseThrow());
  }

  @Test
  void negativeTtl_isRefused() {
    assertThatThrownBy(() -> new Vault(shared, FieldCatalogue.exchangeDefault(), VaultFixtures.keys(), ledger.durable::get,
        clock, new SecureRandom(), Duration.ofSeconds(-1), feed)).isInstanceOf(IllegalArgumentException.class);
  }
}
