package dev.custos.cli.demo;

import dev.custos.ledger.ConsistencyProof;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerOptions;
import dev.custos.ledger.NoteSigner;
import dev.custos.ledger.NoteVerifier;
import dev.custos.ledger.Parsed;
import dev.custos.ledger.SignedCheckpoint;
import dev.custos.ledger.TrustedLog;
import dev.custos.ledger.Witness;
import dev.custos.ledger.WitnessClient;
import dev.custos.ledger.WitnessServer;
import dev.custos.server.CustosConfig;
import dev.custos.server.WitnessTarget;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.stream.Stream;

/**
 * Witnesses: an auditor's witness cosigns each checkpoint only if it extends the history it saw,
 * so even someone holding the ledger's signing key cannot show a different history.
 */
final class WitnessChapter implements Chapter {
  @Override
  public String title() {
    return "A witness the exchange does not control cosigns the ledger and refuses a forged history";
  }

  @Override
  public void play(Scene scene) throws Exception {
    Narrator n = scene.narrator();
    CustosConfig original = scene.config();
    Path witnessDir = original.data().resolveSibling("witness");
    NoteVerifier logKey = scene.custos().ledger().verifierKey();
    NoteSigner witnessKey = Witness.loadOrCreateKey(witnessDir, "auditor.example/witness", new SecureRandom());
    try (Witness witness = Witness.open(witnessDir, witnessKey, InstantSource.system());
        WitnessServer server = WitnessServer.start(witness, new InetSocketAddress("127.0.0.1", 0))) {
      witness.trust(TrustedLog.of(logKey));
      n.step("an auditor runs a witness (custos witness --data DIR --port N --log <the ledger's vkey>) at " + server.url());
      n.show("its cosigner key: " + witness.verifierKey().encoded());
      n.step("Custos restarts with ledger.witnesses = \"" + server.url() + " <that key>\"");
      scene.reconfigure(original.withWitnesses(List.of(new WitnessTarget(server.url(), witness.verifierKey()))));
      Ledger ledger = scene.custos().ledger();
      ledger.append("{\"decision\":\"permit\",\"staff\":\"agent-9\",\"purpose\":\"ticket T-3001\"}".getBytes(StandardCharsets.UTF_8));
      SignedCheckpoint published = ledger.publish();

      String served = awaitCosigned(scene);
      n.step("GET /ledger/checkpoint -> the log's signature and the witness's cosignature (C2SP tlog-cosignature):");
      served.lines().forEach(n::show);
      SignedCheckpoint parsed = ((Parsed.Ok<SignedCheckpoint>) SignedCheckpoint.parse(
          served.getBytes(StandardCharsets.UTF_8), logKey)).value();
      scene.check(parsed.checkpoint().equals(published.checkpoint()) && parsed.cosignature(witness.verifierKey()).isPresent(),
          "the witness verified the consistency proof and cosigned size " + published.checkpoint().size());

      long witnessed = published.checkpoint().size();
      n.step("a rogue administrator with the ledger's signing key builds another history of the same log, "
          + "without the access they want to hide, and shows it to the witness");
      NoteSigner stolenKey = NoteSigner.load(original.ledgerSigningKeyFile());
      Path forgedDir = original.data().resolveSibling("forged-ledger");
      try (Ledger forged = Ledger.open(forgedDir, LedgerOptions.of(stolenKey).withPublishInterval(Duration.ZERO))) {
        for (long i = 0; i <= witnessed; i++) {
          forged.append(("{\"decision\":\"permit\",\"staff\":\"nobody\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        SignedCheckpoint fake = forged.publish();
        ConsistencyProof proof = forged.consistencyProof(witnessed, fake.checkpoint().size());
        WitnessClient.Result result = WitnessClient.of(server.url(), witness.verifierKey())
            .submit(fake, proof, forged::consistencyProof);
        n.show("the forged checkpoint is validly signed: " + fake.text().lines().skip(1).findFirst().orElse("")
            + " entries, root " + fake.checkpoint().rootHash().base64().substring(0, 12) + "...");
        n.show("the witness answers: " + switch (result) {
          case WitnessClient.Refused r -> r.status() + " " + r.problem() + " (" + r.detail() + ")";
          case WitnessClient.Cosigned c -> "200, cosigned";
        });
        scene.check(result instanceof WitnessClient.Refused r && r.problem() == WitnessClient.Problem.FORK_REFUSED,
            "the witness refused the forged history: its tree does not extend the one it cosigned");
      }
      long evidence;
      try (Stream<Path> files = Files.walk(witnessDir)) {
        evidence = files.filter(p -> p.toString().contains("evidence") && Files.isRegularFile(p)).count();
      }
      scene.check(evidence > 0, "the witness kept the forged checkpoint and proof as evidence (" + evidence + " file(s))");
      scene.check(witness.checkpoint(published.checkpoint().origin()).orElseThrow().checkpoint().equals(published.checkpoint()),
          "and still holds the genuine checkpoint of size " + witnessed);
      n.step("the witness stops; Custos goes back to its configuration without witnesses");
      scene.reconfigure(original);
    }
  }

  private static String awaitCosigned(Scene scene) throws Exception {
    Instant deadline = Instant.now().plusSeconds(15);
    while (true) {
      Scene.Response r = scene.get("/ledger/checkpoint");
      if (r.header("Custos-Cosignatures").equals("1/1") || Instant.now().isAfter(deadline)) {
        return r.body();
      }
      Thread.sleep(50);
    }
  }
}
