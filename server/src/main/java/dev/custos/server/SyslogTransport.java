package dev.custos.server;

import dev.custos.detect.Alert;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Objects;

/**
 * Sends alerts as RFC 5424 syslog messages over TCP in octet-counting framing (RFC 6587), keeping
 * one connection open and reconnecting when it breaks.
 *
 * <p>Plain TCP cannot acknowledge a message: a message written just as the receiver goes away can
 * be lost without an error. To narrow that window, before each message the connection is checked
 * for an end of stream sent by the receiver (a syslog receiver never writes, so a readable end of
 * stream means it closed) and reopened if so. Plain TCP is unencrypted: use a relay on the same host
 * or a private network (docs/detection.md).
 */
final class SyslogTransport implements AlertOutbox.Transport {
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final AlertSettings.SyslogAddress address;
  private final String hostname;
  private Socket socket;

  /** @param hostname the HOSTNAME field of every message (this machine's name) */
  SyslogTransport(AlertSettings.SyslogAddress address, String hostname) {
    this.address = Objects.requireNonNull(address, "address");
    this.hostname = AlertDocuments.header(Objects.requireNonNull(hostname, "hostname"), 255);
  }

  @Override
  public void send(Alert alert) throws IOException {
    byte[] frame = AlertDocuments.octetCounted(AlertDocuments.syslogMessage(alert, hostname));
    if (socket != null && closedByPeer(socket)) {
      disconnect();
    }
    if (socket == null) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(address.host(), address.port()), CONNECT_TIMEOUT_MILLIS);
        s.setSoTimeout(1);
      } catch (IOException e) {
        s.close();
        throw e;
      }
      socket = s;
    }
    try {
      socket.getOutputStream().write(frame);
      socket.getOutputStream().flush();
    } catch (IOException e) {
      disconnect();
      throw e;
    }
  }

  private static boolean closedByPeer(Socket s) {
    try {
      InputStream in = s.getInputStream();
      while (in.available() > 0) {
        in.skip(in.available()); // a receiver has nothing to say; ignore it
      }
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false; // nothing to read: still open
    } catch (IOException e) {
      return true;
    }
  }

  private void disconnect() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // already broken
      }
      socket = null;
    }
  }

  @Override
  public void close() {
    disconnect();
  }

  @Override
  public String toString() {
    return "SyslogTransport[" + address + "]";
  }
}
