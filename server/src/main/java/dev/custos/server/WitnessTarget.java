package dev.custos.server;

import dev.custos.ledger.NoteVerifier;
import dev.custos.ledger.SignatureType;
import java.net.URI;
import java.util.Objects;

/**
 * A witness Custos pushes its checkpoints to: where it listens (the C2SP tlog-witness submission
 * prefix; {@code add-checkpoint} is resolved against it) and the cosigner key its cosignatures
 * must verify with.
 *
 * @param url an absolute http or https URL
 * @param key a cosignature/v1 verifier key
 */
public record WitnessTarget(URI url, NoteVerifier key) {
  public WitnessTarget {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(key, "key");
    if (!url.isAbsolute() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
      throw new IllegalArgumentException("a witness URL must be an absolute http(s) URL");
    }
    if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
      // Credentials in the URL would end up in logs, config print and /v1/ledger/witnesses.
      throw new IllegalArgumentException("a witness URL must not carry user info, a query or a fragment");
    }
    if (key.type() != SignatureType.COSIGNATURE_V1) {
      throw new IllegalArgumentException("a witness key must be a cosignature/v1 verifier key");
    }
  }

  /** The form {@code ledger.witnesses} takes: {@code <url> <vkey>}. */
  String describe() {
    return url + " " + key.encoded();
  }
}
