package dev.custos.server;

import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.decoy.DecoyCustomer;
import dev.custos.decoy.Decoys;
import dev.custos.identity.SecretBox;
import dev.custos.store.DetectionFacts;
import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.FieldValue;
import dev.custos.vault.Vault;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decoy customers of an installation: generated deterministically from the decoy key
 * ({@code <data>/keys/decoy.key}, 0600) at first start, written into the vault as ordinary records,
 * and their ids kept sealed (AES-GCM with a key derived from
 * the decoy key) in the database, so only someone holding the key, or security through the route
 * that opens it, can tell them apart.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>A decoy is an ordinary vault record: same encryption, blind indexes, masks, answers.</li>
 *   <li>It is written straight into the vault (no ingest entry), so the ledger never says "decoy";
 *       every access to it is recorded like any other.</li>
 *   <li>A decoy id that is already a real customer's is skipped, never overwritten.</li>
 * </ul>
 */
final class DecoyDesk {
  /** How many decoys an installation has. */
  static final int COUNT = 40;
  /** How many of them each member of staff may meet in search results. */
  static final int PER_STAFF = 2;
  private static final byte[] AAD = "custos decoy list v1".getBytes(StandardCharsets.US_ASCII);
  private static final Logger log = LoggerFactory.getLogger(DecoyDesk.class);

  private final Decoys decoys;
  private final SecretBox box;
  private final DetectionFacts facts;
  /** The decoys in the vault: the generated ones minus any whose id was a real customer's. */
  private java.util.Set<CustomerId> planted = java.util.Set.of();

  private DecoyDesk(Decoys decoys, SecretBox box, DetectionFacts facts) {
    this.decoys = decoys;
    this.box = box;
    this.facts = facts;
  }

  /**
   * The installation's decoys, planting them on first start (idempotent: an unchanged record writes
   * nothing, the sealed list is stored once).
   */
  static DecoyDesk plant(byte[] key, FieldCatalogue catalogue, Vault vault, DetectionFacts facts,
      InstantSource clock, SecureRandom random) {
    byte[] sealKey = derive(key, "seal");
    SecretBox box;
    try {
      box = new SecretBox(sealKey, random);
    } finally {
      Arrays.fill(sealKey, (byte) 0);
    }
    Decoys all = generate(key, catalogue);
    if (facts.sealedDecoys().isEmpty()) {
      // The list first: a start that stops half-way plants the same decoys next time.
      List<String> ids = new ArrayList<>();
      for (DecoyCustomer d : all.all()) {
        if (vault.commitment(d.id()).isPresent()) {
          log.warn("a decoy id is a real customer's; that decoy is left out");
        } else {
          ids.add(d.id().value());
        }
      }
      facts.storeSealedDecoys(box.seal(String.join("\n", ids).getBytes(StandardCharsets.UTF_8), AAD), clock.instant());
    }
    DecoyDesk desk = new DecoyDesk(all, box, facts);
    desk.planted = java.util.Set.copyOf(desk.open());
    Map<CustomerId, Map<Field, FieldValue>> batch = new LinkedHashMap<>();
    for (DecoyCustomer d : all.all()) {
      if (desk.planted.contains(d.id())) {
        batch.put(d.id(), d.fields());
        facts.setHighValue(d.id(), d.highValue(), clock.instant());
      }
    }
    if (!batch.isEmpty()) {
      // Straight into the vault, without a custos.ingest/v1 entry: such an entry would either name
      // the decoys as decoys or lie about where they came from. Accesses to them are recorded as usual.
      vault.putAll(batch);
    }
    return desk;
  }

  /** The decoys the decoy key generates (the planted ones are these minus any whose id was a real customer's). */
  static Decoys generate(byte[] key, FieldCatalogue catalogue) {
    long seed = ByteBuffer.wrap(derive(key, "seed")).getLong();
    return Decoys.generate(seed, COUNT, PER_STAFF, n -> new CustomerId("cust-" + (n % 90_000_000L + 10_000_000L)), catalogue);
  }

  boolean isDecoy(CustomerId customer) {
    return planted.contains(customer);
  }

  /** Whether {@code staff} may meet {@code decoy} in search results (it names them if it leaks). */
  boolean assigned(StaffId staff, CustomerId decoy) {
    return planted.contains(decoy) && decoys.assigned(staff, decoy);
  }

  /** The planted decoys {@code staff} may meet in search results. */
  List<CustomerId> assignedTo(StaffId staff) {
    return decoys.assignedTo(staff).stream().map(DecoyCustomer::id).filter(planted::contains).toList();
  }

  /** The planted decoy with this id (for tests in this package). */
  Optional<DecoyCustomer> find(CustomerId id) {
    return planted.contains(id) ? decoys.find(id) : Optional.empty();
  }

  /** The sealed list opened: the decoy ids, for security. */
  List<CustomerId> open() {
    Optional<byte[]> sealed = facts.sealedDecoys();
    if (sealed.isEmpty()) {
      return List.of();
    }
    try {
      String text = new String(box.open(sealed.get(), AAD), StandardCharsets.UTF_8);
      return text.isEmpty() ? List.of() : text.lines().map(CustomerId::new).toList();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the sealed decoy list does not open with this installation's decoy key", e);
    }
  }

  private static byte[] derive(byte[] key, String label) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(("custos decoy " + label + "\0").getBytes(StandardCharsets.US_ASCII));
      return sha.digest(key);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "DecoyDesk[" + COUNT + " decoys]";
  }
}
