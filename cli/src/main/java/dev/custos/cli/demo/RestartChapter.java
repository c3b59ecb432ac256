package dev.custos.cli.demo;

/** Custos stops cleanly and comes back on the same data directory with its data and its ledger. */
final class RestartChapter implements Chapter {
  @Override
  public String title() {
    return "Custos restarts and keeps its data";
  }

  @Override
  public void play(Scene scene) throws Exception {
    Narrator n = scene.narrator();
    n.step("stopping Custos (HTTP, then the ledger's final checkpoint, then PostgreSQL, then the lock)");
    scene.stop();
    String before = scene.lastInstallation();
    long ledgerBefore = scene.lastLedgerSize();
    n.step("starting it again on the same data directory");
    scene.custos();
    var status = scene.get("/v1/status").json();
    String after = status.path("installation").path("id").asText();
    long starts = status.path("installation").path("starts").asLong();
    n.step("GET /v1/status -> installation " + after + ", start number " + starts);
    scene.check(after.equals(before), "the same installation came back, on start number " + starts);
    long ledgerAfter = scene.custos().ledger().latestCheckpoint().checkpoint().size();
    n.step("the ledger reopened with " + ledgerAfter + " entries, recovered from its write-ahead log and verified");
    scene.check(ledgerAfter == ledgerBefore && ledgerAfter > 0, "no recorded access was lost across the restart");
  }
}
