package dev.custos.cli.demo;

import dev.custos.ledger.Hash;
import dev.custos.ledger.InclusionProof;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.NoteVerifier;
import dev.custos.ledger.Receipt;
import dev.custos.ledger.SignedCheckpoint;
import dev.custos.ledger.TileReader;
import dev.custos.ledger.Verifier;
import dev.custos.ledger.VerifyResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Every access is a ledger entry: signed checkpoints, inclusion proofs, and tampering that the
 * offline verifier finds at the exact index. Until the access broker writes real decisions, the
 * chapter appends sample access records itself and says so.
 */
final class LedgerChapter implements Chapter {
  @Override
  public String title() {
    return "Every access leaves a trace anyone can verify";
  }

  @Override
  public void play(Scene scene) throws Exception {
    Narrator n = scene.narrator();
    Ledger ledger = scene.custos().ledger();
    n.step("appending three sample access records (the access broker will write real decisions here);");
    n.show("customers appear only as commitments: SHA-256 of the customer id and a per-customer salt");
    List<Receipt> receipts = new ArrayList<>();
    String[][] accesses = {{"agent-17", "T-1042", "cus-881"}, {"agent-17", "T-1042", "cus-881"}, {"agent-4", "T-2210", "cus-302"}};
    for (String[] a : accesses) {
      String entry = "{\"decision\":\"permit\",\"staff\":\"" + a[0] + "\",\"purpose\":\"ticket " + a[1]
          + "\",\"customer\":\"" + commitment(a[2]) + "\",\"fields\":[\"name\",\"email\"]}";
      Receipt r = ledger.append(entry.getBytes(StandardCharsets.UTF_8));
      receipts.add(r);
      n.show("index " + r.index() + "  leaf " + r.leafHash().base64().substring(0, 16) + "...  " + entry);
    }
    scene.check(receipts.get(2).index() == receipts.get(0).index() + 2, "each record got a durable index before the call returned");

    SignedCheckpoint cp = ledger.publish();
    Scene.Response served = scene.get("/ledger/checkpoint");
    n.step("GET /ledger/checkpoint -> a C2SP signed note (Ed25519):");
    served.body().lines().forEach(n::show);
    scene.check(served.body().equals(cp.text()), "the served checkpoint is the one the ledger signed");

    NoteVerifier key = NoteVerifier.parse(scene.get("/ledger/vkey").body().strip()).orThrow();
    TileReader remote = TileReader.of(path -> {
      try {
        Scene.Response r = scene.get("/ledger/" + path);
        return r.status() == 404 ? Optional.empty() : Optional.of(r.bodyBytes());
      } catch (Exception e) {
        throw new java.io.IOException(e.getMessage(), e);
      }
    });
    VerifyResult clean = Verifier.verify(remote, key);
    n.step("an auditor fetches the tiles over HTTP, recomputes every hash and checks the signature");
    scene.check(clean instanceof VerifyResult.Clean, "the served ledger verifies with the published key " + key.encoded());

    Receipt mine = receipts.get(1);
    var proof = scene.get("/v1/ledger/proof/inclusion?index=" + mine.index() + "&size=" + cp.checkpoint().size()).json();
    List<Hash> path = new ArrayList<>();
    proof.path("path").forEach(h -> path.add(new Hash(Base64.getDecoder().decode(h.asText()))));
    boolean included = new InclusionProof(mine.index(), cp.checkpoint().size(), path)
        .verifies(mine.leafHash(), cp.checkpoint().rootHash());
    n.step("GET /v1/ledger/proof/inclusion?index=" + mine.index() + " -> " + path.size() + " hashes");
    scene.check(included, "record " + mine.index() + " is provably in the signed tree: a customer can check this themselves");

    n.step("stopping Custos, then changing one byte of the stored entries, as a rogue administrator might");
    scene.stop();
    Path ledgerDir = scene.config().ledgerDir();
    Path bundle = bundleHolding(ledgerDir, mine.index(), cp.checkpoint().size());
    byte[] original = Files.readAllBytes(bundle);
    byte[] tampered = original.clone();
    int at = offsetOfEntry(tampered, (int) (mine.index() % 256)) + 20;
    tampered[at] ^= 0x01;
    Files.write(bundle, tampered);
    VerifyResult found = Verifier.verify(TileReader.ofDirectory(ledgerDir), key);
    n.step("custos ledger verify --dir " + ledgerDir + " ->");
    n.show(found.toString());
    scene.check(found instanceof VerifyResult.Failure f && f.firstBadIndex().orElse(-1) == mine.index(),
        "the verifier names the first bad index, " + mine.index());
    Files.write(bundle, original);
    n.step("the byte is put back so the story can go on");
  }

  /** The tlog-tiles entry bundle that holds {@code index} in a tree of {@code size}. */
  private static Path bundleHolding(Path dir, long index, long size) {
    long b = index / 256;
    long width = Math.min(256, size - b * 256);
    String n = String.format("%03d", b % 1000);
    for (long rest = b / 1000; rest > 0; rest /= 1000) {
      n = String.format("x%03d/", rest % 1000) + n;
    }
    return dir.resolve("tile/entries/" + n + (width < 256 ? ".p/" + width : ""));
  }

  /** The offset of the entry's first byte in an entry bundle (uint16 big-endian length prefixes). */
  private static int offsetOfEntry(byte[] bundle, int k) {
    int off = 0;
    for (int i = 0; i < k; i++) {
      int len = ((bundle[off] & 0xff) << 8) | (bundle[off + 1] & 0xff);
      off += 2 + len;
    }
    return off + 2;
  }

  private static String commitment(String customerId) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(("demo-salt-of-" + customerId).getBytes(StandardCharsets.UTF_8));
    sha.update(customerId.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
  }
}
