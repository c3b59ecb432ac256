package dev.custos.cli.demo;

/** Custos stops cleanly and comes back on the same data directory with its data. */
final class RestartChapter implements Chapter {
  @Override
  public String title() {
    return "Custos restarts and keeps its data";
  }

  @Override
  public void play(Scene scene) throws Exception {
    Narrator n = scene.narrator();
    String before = scene.get("/v1/status").json().path("installation").path("id").asText();
    n.step("stopping Custos (HTTP, then the embedded PostgreSQL, then the data directory lock)");
    scene.stop();
    n.step("starting it again on the same data directory");
    scene.custos();
    var status = scene.get("/v1/status").json();
    String after = status.path("installation").path("id").asText();
    long starts = status.path("installation").path("starts").asLong();
    n.step("GET /v1/status -> installation " + after + ", start number " + starts);
    scene.check(before.equals(after) && starts == 2, "the same installation came back, on its second start");
  }
}
