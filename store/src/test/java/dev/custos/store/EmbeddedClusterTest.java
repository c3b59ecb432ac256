package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default: a cluster under the data directory that keeps its data across restarts. */
class EmbeddedClusterTest {
  @TempDir
  Path temp;

  @Test
  void embedded_restartedOnTheSameDirectory_keepsItsData() throws Exception {
    Path dir = temp.resolve("postgres");
    Installation first;
    try (Database db = Database.embedded(dir, DatabaseSettings.defaults())) {
      assertThat(db.isEmbedded()).isTrue();
      assertThat(db.migrationsApplied()).isGreaterThanOrEqualTo(1);
      first = new Installations(db.dataSource(), InstantSource.system(), RandomGenerator.getDefault()).recordStart("t");
    }
    try (Database db = Database.embedded(dir, DatabaseSettings.defaults())) {
      assertThat(db.migrationsApplied()).isZero();
      Installation again = new Installations(db.dataSource(), InstantSource.system(), RandomGenerator.getDefault()).recordStart("t");
      assertThat(again.id()).isEqualTo(first.id());
      assertThat(again.starts()).isEqualTo(2);
    }
  }

  @Test
  void embedded_clusterDirectory_isOwnerOnly() throws Exception {
    Path dir = temp.resolve("data").resolve("postgres");
    try (Database db = Database.embedded(dir, DatabaseSettings.defaults())) {
      assertThat(java.nio.file.Files.getPosixFilePermissions(dir.getParent()))
          .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
              java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
      assertThat(db.description()).contains("embedded PostgreSQL");
    }
  }
}
