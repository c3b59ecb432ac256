package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.detect.Alert;
import dev.custos.detect.Measure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Syslog over TCP against a real listener on 127.0.0.1. */
class SyslogDeliveryTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private ServerSocket listener;
  private AlertOutbox outbox;

  @AfterEach
  void stop() throws IOException {
    if (outbox != null) {
      outbox.close();
    }
    if (listener != null) {
      listener.close();
    }
  }

  private AlertOutbox outbox(int port) {
    return outbox(port, AlertFixtures.QUICK);
  }

  private AlertOutbox outbox(int port, Backoff backoff) {
    outbox = new AlertOutbox("syslog", new SyslogTransport(new AlertSettings.SyslogAddress("127.0.0.1", port), "custos-1"),
        backoff, 100, new SplittableRandom(5), meters);
    return outbox;
  }

  /** Reads one octet-counted frame: digits, a space, then that many octets. */
  static byte[] readFrame(InputStream in) throws IOException {
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    int length = 0;
    int c;
    while ((c = in.read()) != ' ') {
      if (c < '0' || c > '9') {
        throw new AssertionError("not a digit in MSG-LEN: " + c);
      }
      whole.write(c);
      length = length * 10 + (c - '0');
    }
    whole.write(' ');
    whole.write(in.readNBytes(length));
    return whole.toByteArray();
  }

  private static byte[] expectedFrame(Alert alert) {
    return AlertDocuments.octetCounted(AlertDocuments.syslogMessage(alert, "custos-1"));
  }

  @Test
  void anAlert_arrivesAsOneOctetCountedRfc5424Frame_byteForByte() throws Exception {
    listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    Alert alert = AlertFixtures.alert("alert-0001", Measure.SUSPEND);
    outbox(listener.getLocalPort()).deliver(alert);

    try (Socket s = listener.accept()) {
      byte[] frame = readFrame(s.getInputStream());
      byte[] message = AlertDocuments.syslogMessage(alert, "custos-1");
      assertThat(frame).isEqualTo(expectedFrame(alert));
      assertThat(new String(frame, StandardCharsets.UTF_8)).startsWith(message.length + " <82>1 2026-11-21T10:15:30.123Z custos-1 "
          + "custos - alert [custos@32473 id=\"alert-0001\" staff=\"agent-7\" measure=\"suspend\" risk=\"12.50\" "
          + "ledgerIndex=\"42\"] \uFEFFagent-7 suspend risk 12.5:");
    }
  }

  @Test
  void twoAlerts_shareOneConnection_inOrder() throws Exception {
    listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    AlertOutbox o = outbox(listener.getLocalPort());
    Alert a = AlertFixtures.alert("alert-a", Measure.ALERT);
    Alert b = AlertFixtures.alert("alert-b", Measure.THROTTLE);
    o.deliver(a);
    o.deliver(b);

    try (Socket s = listener.accept()) {
      assertThat(readFrame(s.getInputStream())).isEqualTo(expectedFrame(a));
      assertThat(readFrame(s.getInputStream())).isEqualTo(expectedFrame(b));
    }
  }

  @Test
  void aReceiverThatClosedTheConnection_isReconnectedTo_andGetsTheNextAlert() throws Exception {
    listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    AlertOutbox o = outbox(listener.getLocalPort());
    Alert first = AlertFixtures.alert("alert-1", Measure.ALERT);
    Alert second = AlertFixtures.alert("alert-2", Measure.ALERT);
    o.deliver(first);
    try (Socket s = listener.accept()) {
      assertThat(readFrame(s.getInputStream())).isEqualTo(expectedFrame(first));
    } // the receiver restarts: its end of the connection closes

    o.deliver(second);
    try (Socket s = listener.accept()) {
      assertThat(readFrame(s.getInputStream())).isEqualTo(expectedFrame(second));
    }
  }

  @Test
  void aReceiverThatIsDownAtFirst_getsTheAlertOnceItListens() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    AlertOutbox o = outbox(port, new Backoff(java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(20), 100));
    Alert alert = AlertFixtures.alert("alert-late", Measure.ALERT);
    o.deliver(alert);
    AlertFixtures.await(() -> AlertFixtures.count(meters, "syslog", "retried") >= 1);

    listener = new ServerSocket(port, 5, InetAddress.getLoopbackAddress());
    try (Socket s = listener.accept()) {
      assertThat(readFrame(s.getInputStream())).isEqualTo(expectedFrame(alert));
    }
  }
}
