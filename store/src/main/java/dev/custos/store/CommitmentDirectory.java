package dev.custos.store;

import dev.custos.access.CustomerId;
import dev.custos.incident.CustomerDirectory;
import dev.custos.vault.Commitment;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * Resolves ledger commitments to customers through {@code vault_customer.commitment_tag} (V13):
 * HMAC-SHA256 of the commitment under the tag key, which is derived from the blind-index key
 * ({@code HMAC-SHA256(blind-index key, "custos.commitment-tag/v1")}) and never stored. A reader of
 * the database alone cannot compute a tag from a commitment in the ledger, so cannot link entries to
 * customers; erasure destroys the tag with the key material (a trigger), so an erased customer no
 * longer resolves.
 *
 * <p>Tags are written by {@link #catchUp()}: every live customer without one gets it, its commitment
 * computed by the vault (which opens the customer's sealed salt). It runs before each resolution, so
 * customers stored since (or before V13) resolve without any change to the vault's write path.
 */
public final class CommitmentDirectory implements CustomerDirectory {
  private static final byte[] DOMAIN = "custos.commitment-tag/v1".getBytes(StandardCharsets.US_ASCII);
  private static final int CATCH_UP_BATCH = 500;

  private final DataSource db;
  private final Function<CustomerId, Optional<Commitment>> commitments;
  private final SecretKeySpec tagKey;

  /**
   * @param commitments the vault's commitment of a live customer ({@code Vault::commitment})
   * @param blindIndexKey the vault's blind-index key; only a key derived from it is kept
   */
  public CommitmentDirectory(DataSource db, Function<CustomerId, Optional<Commitment>> commitments,
      byte[] blindIndexKey) {
    this.db = Objects.requireNonNull(db, "db");
    this.commitments = Objects.requireNonNull(commitments, "commitments");
    byte[] derived = mac(new SecretKeySpec(blindIndexKey, "HmacSHA256")).doFinal(DOMAIN);
    this.tagKey = new SecretKeySpec(derived, "HmacSHA256");
    Arrays.fill(derived, (byte) 0);
  }

  @Override
  public Optional<CustomerId> resolve(Commitment commitment) {
    return Optional.ofNullable(resolveAll(List.of(commitment)).get(commitment));
  }

  /** The customers of those of {@code commitments} that resolve (one catch-up, one query per 1,000). */
  public Map<Commitment, CustomerId> resolveAll(Collection<Commitment> commitments) {
    catchUp();
    Map<Commitment, CustomerId> out = new HashMap<>();
    List<Commitment> all = new ArrayList<>(commitments);
    Mac mac = mac(tagKey);
    for (int start = 0; start < all.size(); start += 1000) {
      List<Commitment> part = all.subList(start, Math.min(all.size(), start + 1000));
      Map<java.nio.ByteBuffer, Commitment> byTag = new HashMap<>();
      byte[][] tags = new byte[part.size()][];
      for (int i = 0; i < part.size(); i++) {
        tags[i] = mac.doFinal(part.get(i).toByteArray());
        byTag.put(java.nio.ByteBuffer.wrap(tags[i]), part.get(i));
      }
      Sql.statement(db, "resolve commitments", c -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT customer, commitment_tag FROM vault_customer "
            + "WHERE commitment_tag = ANY (?) AND erased_at IS NULL")) {
          ps.setArray(1, c.createArrayOf("bytea", tags));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Commitment found = byTag.get(java.nio.ByteBuffer.wrap(rs.getBytes(2)));
              if (found != null) {
                out.put(found, new CustomerId(rs.getString(1)));
              }
            }
          }
        }
        return null;
      });
    }
    return out;
  }

  @Override
  public Optional<Commitment> commitment(CustomerId customer) {
    return commitments.apply(customer);
  }

  /**
   * Tags every live customer that has no tag yet.
   *
   * @return how many were tagged
   */
  public int catchUp() {
    int tagged = 0;
    Mac mac = mac(tagKey);
    while (true) {
      List<String> untagged = Sql.statement(db, "find untagged customers", c -> {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT customer FROM vault_customer "
            + "WHERE commitment_tag IS NULL AND erased_at IS NULL ORDER BY customer LIMIT " + CATCH_UP_BATCH)) {
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              ids.add(rs.getString(1));
            }
          }
        }
        return ids;
      });
      if (untagged.isEmpty()) {
        return tagged;
      }
      int before = tagged;
      for (String id : untagged) {
        Optional<Commitment> commitment = commitments.apply(new CustomerId(id));
        if (commitment.isEmpty()) {
          continue; // erased meanwhile
        }
        byte[] tag = mac.doFinal(commitment.get().toByteArray());
        tagged += Sql.update(db, "tag customer " + id, "UPDATE vault_customer SET commitment_tag = ? "
            + "WHERE customer = ? AND erased_at IS NULL AND commitment_tag IS NULL", ps -> {
              ps.setBytes(1, tag);
              ps.setString(2, id);
            });
      }
      if (tagged == before) {
        // Nothing of this batch could be tagged (all erased or tagged elsewhere meanwhile): do not spin.
        return tagged;
      }
    }
  }

  private static Mac mac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "CommitmentDirectory[tag key ***]";
  }
}
