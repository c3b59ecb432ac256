package dev.custos.cli.demo;

import java.util.List;

/**
 * The demo story: chapters played in order against one Custos instance on a throwaway data
 * directory. Later capabilities add chapters here; each chapter is independent of how the
 * instance was started.
 */
public final class Story {
  private final List<Chapter> chapters;

  public Story(List<Chapter> chapters) {
    this.chapters = List.copyOf(chapters);
  }

  /** The story as it stands today. */
  public static Story standard() {
    return new Story(List.of(new InstallChapter(), new LedgerChapter(), new WitnessChapter(), new StaffChapter(), new CustomerChapter(), new RestartChapter(),
        new InsiderChapter(), new ApprovalChapter(), new TransparencyChapter()));
  }

  /**
   * Plays every chapter in order; stops at the first failure.
   *
   * @return true when every chapter played and every check held
   */
  public boolean play(Scene scene) {
    int n = 0;
    for (Chapter c : chapters) {
      n++;
      scene.narrator().chapter(n, c.title());
      try {
        c.play(scene);
      } catch (DemoFailure f) {
        scene.narrator().failure(f.getMessage());
        return false;
      } catch (Exception e) {
        scene.narrator().failure(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        return false;
      }
    }
    return true;
  }
}
