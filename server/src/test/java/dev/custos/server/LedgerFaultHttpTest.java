package dev.custos.server;

import static dev.custos.server.CustomerWorld.ADA;
import static dev.custos.server.CustomerWorld.ADA_EMAIL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fail closed: when the ledger cannot make an access durable, the answer is 503 and carries no
 * customer data — with a ledger that has failed, and with the ledger's file system full.
 */
class LedgerFaultHttpTest {
  @TempDir
  Path temp;

  @Test
  void view_whenTheLedgerHasFailed_is503WithNoData() throws Exception {
    try (CustomerWorld world = new CustomerWorld(temp)) {
      StaffId agent = world.staff.get(Role.SUPPORT_L1);
      world.ticket("assigned", "T-1", ADA, agent, "open", false);
      StaffClient client = world.login(agent);
      assertThat(client.get(world.base(), "/v1/customers/cust-ada?ticket=T-1").status()).isEqualTo(200);

      world.custos.ledger().close();
      StaffClient.Reply reply = client.get(world.base(), "/v1/customers/cust-ada?ticket=T-1");

      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.json().path("type").asText()).isEqualTo("urn:custos:problem:ledger-unavailable");
      assertThat(reply.json().has("fields")).isFalse();
      assertThat(reply.raw().body()).doesNotContain("example.com").doesNotContain(ADA_EMAIL);
    }
  }

  @Test
  void view_whenTheLedgersDiskIsFull_is503WithNoData() throws Exception {
    Path ledgerDir = temp.resolve("custos").resolve("ledger");
    Files.createDirectories(ledgerDir);
    Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", ledgerDir.toString()),
        "needs permission to mount a small tmpfs (root); skipped otherwise");
    try {
      try (CustomerWorld world = new CustomerWorld(temp)) {
        StaffId agent = world.staff.get(Role.SUPPORT_L1);
        world.ticket("assigned", "T-1", ADA, agent, "open", false);
        StaffClient client = world.login(agent);
        assertThat(client.get(world.base(), "/v1/customers/cust-ada?ticket=T-1").status()).isEqualTo(200);

        fill(ledgerDir.resolve("filler"));
        StaffClient.Reply reply = client.get(world.base(), "/v1/customers/cust-ada?ticket=T-1");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.json().path("type").asText()).isEqualTo("urn:custos:problem:ledger-unavailable");
        assertThat(reply.raw().body()).doesNotContain(ADA_EMAIL);
        Files.deleteIfExists(ledgerDir.resolve("filler"));
      }
    } finally {
      run("umount", "-l", ledgerDir.toString());
    }
  }

  /** Writes until the file system refuses. */
  private static void fill(Path file) {
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException full) {
      // ENOSPC: the file system is full, as intended
    }
  }

  private static boolean run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
