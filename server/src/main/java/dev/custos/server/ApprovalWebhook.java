package dev.custos.server;

import dev.custos.access.CustomerId;
import dev.custos.approval.ApprovalDispatch;
import dev.custos.approval.ApprovalRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the exchange's backend about approvals through a signed outbound webhook: events
 * {@code approval.requested} (for the backend to notify eligible approvers),
 * {@code approval.customer-notice} (to tell the customer of the time-lock, with how to cancel) and
 * {@code approval.execute} (carry out the approved action). Each POST is signed like the ticket
 * webhook ({@link WebhookSignature}: base64 HMAC-SHA256 of the timestamp header followed by the body,
 * headers {@value #SIGNATURE_HEADER} and {@value #TIMESTAMP_HEADER}) and carries
 * {@value #IDEMPOTENCY_HEADER}: the request id and event, so the backend applies an execution once
 * however often it is delivered. A delivery is tried {@value #TRIES} times; a 2xx answer accepts it.
 *
 * <p>Without a configured URL nothing is sent: notices and executions are refused (requests stay
 * approved or time-locked), which fails closed.
 */
final class ApprovalWebhook implements ApprovalDispatch {
  static final String SIGNATURE_HEADER = "X-Custos-Signature";
  static final String TIMESTAMP_HEADER = "X-Custos-Signature-Timestamp";
  static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
  static final int TRIES = 3;
  private static final Logger log = LoggerFactory.getLogger(ApprovalWebhook.class);

  private final Optional<URI> url;
  private final WebhookSignature signer;
  private final InstantSource clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ApprovalWebhook(Optional<URI> url, WebhookSignature signer, InstantSource clock) {
    this.url = url;
    this.signer = signer;
    this.clock = clock;
  }

  @Override
  public void requested(ApprovalRequest r) {
    deliver("approval.requested", r);
  }

  @Override
  public boolean noticeToCustomer(ApprovalRequest r) {
    return deliver("approval.customer-notice", r).isEmpty();
  }

  @Override
  public Handoff execute(ApprovalRequest r) {
    Optional<String> failure = deliver("approval.execute", r);
    return failure.<Handoff>map(Handoff.Failed::new).orElseGet(Handoff.Accepted::new);
  }

  /** The body of an event: everything the backend needs to act, including the parameters in clear. */
  static Map<String, Object> body(String event, ApprovalRequest r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", event);
    m.put("request", r.id().value());
    m.put("action", r.spec().action().wireName());
    m.put("customer", r.spec().customer().map(CustomerId::value).orElse(null));
    m.put("parameters", r.spec().parameters());
    m.put("bindingHash", r.bindingHash());
    m.put("requester", r.requester().value());
    m.put("approvers", r.approvals().stream().map(a -> a.staff().value()).toList());
    r.unlocksAt().ifPresent(t -> m.put("unlocksAt", t.toString()));
    if (event.equals("approval.customer-notice")) {
      // How the customer stops it during the time-lock: the exchange's site calls this with the
      // customer's own login token (customer.jwks), as for the access log.
      m.put("cancel", Map.of("method", "POST", "path", ApprovalRoutes.CUSTOMER_CANCEL.replace("{id}", r.id().value())));
    }
    return m;
  }

  /** Empty when delivered, else why not. Never throws. */
  private Optional<String> deliver(String event, ApprovalRequest r) {
    if (url.isEmpty()) {
      return Optional.of("no backend webhook is configured");
    }
    byte[] body = Json.write(body(event, r)).getBytes(StandardCharsets.UTF_8);
    String last = "not tried";
    for (int attempt = 1; attempt <= TRIES; attempt++) {
      String timestamp = clock.instant().toString();
      try {
        HttpRequest req = HttpRequest.newBuilder(url.get()).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, signer.sign(timestamp, body))
            .header(TIMESTAMP_HEADER, timestamp)
            .header(IDEMPOTENCY_HEADER, r.id().value() + ":" + event)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<Void> res = http.send(req, HttpResponse.BodyHandlers.discarding());
        if (res.statusCode() / 100 == 2) {
          return Optional.empty();
        }
        last = "the backend answered " + res.statusCode();
      } catch (java.io.IOException e) {
        last = "the backend is unreachable: " + e.getClass().getSimpleName();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("interrupted");
      } catch (RuntimeException e) {
        last = "the delivery failed: " + e.getClass().getSimpleName();
      }
      try {
        Thread.sleep(200L * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("interrupted");
      }
    }
    log.warn("approval webhook {} for {} not delivered: {}", event, r.id(), last);
    return Optional.of(last);
  }
}
