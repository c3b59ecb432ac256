package dev.custos.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custos.identity.AuthEvent;
import dev.custos.identity.AuthEventSink;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records authentication events: each is appended to the ledger as a {@code custos.auth/v1} entry and
 * waits until it is durable, then goes to the in-process event bus (detection subscribes there).
 * If the ledger cannot take it, {@link #record} throws and the caller refuses what it was about to
 * grant.
 *
 * <p>Entry: {@code {"kind":"custos.auth/v1","event":"login.succeeded","at":"…","staff":"alice",
 * "session":"<handle>","address":"127.0.0.1","detail":{…}}}; absent members are omitted.
 */
final class AuthEvents implements AuthEventSink {
  private static final Logger log = LoggerFactory.getLogger(AuthEvents.class);
  private final Ledger ledger;
  private final List<Consumer<AuthEvent>> subscribers = new CopyOnWriteArrayList<>();

  AuthEvents(Ledger ledger) {
    this.ledger = ledger;
  }

  /** Adds a subscriber of the bus; it is called on the recording thread and must not block. */
  void subscribe(Consumer<AuthEvent> subscriber) {
    subscribers.add(subscriber);
  }

  @Override
  public void record(AuthEvent event) {
    try {
      ledger.append(entry(event));
    } catch (LedgerException e) {
      throw new IllegalStateException("the ledger did not take the authentication event " + event.type().wireName(), e);
    }
    for (Consumer<AuthEvent> s : subscribers) {
      try {
        s.accept(event);
      } catch (RuntimeException e) {
        log.error("an event subscriber failed on {}: {}", event.type().wireName(), e.toString());
      }
    }
  }

  static byte[] entry(AuthEvent event) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("kind", "custos.auth/v1");
    n.put("event", event.type().wireName());
    n.put("at", event.at().toString());
    event.staff().ifPresent(s -> n.put("staff", s.value()));
    event.session().ifPresent(s -> n.put("session", s.value()));
    event.address().ifPresent(a -> n.put("address", a));
    ObjectNode d = n.putObject("detail");
    event.detail().forEach(d::put);
    try {
      return Json.MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an authentication event could not be written as JSON", e);
    }
  }
}
