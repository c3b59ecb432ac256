package dev.custos.approval;

/**
 * How approvals reach the world: approvers are told of new requests, customers of time-locks, and
 * approved actions are handed over for execution (the exchange's backend through a signed
 * webhook, or Custos itself for its own actions). Implementations live in the server.
 */
public interface ApprovalDispatch {
  /** Whether a hand-off was accepted. */
  sealed interface Handoff {
    /** Accepted (or already accepted before: execution is idempotent by request id). */
    record Accepted() implements Handoff {}

    /** Not accepted this time; the sweep tries again. */
    record Failed(String why) implements Handoff {}
  }

  /** Tells the eligible approvers that {@code request} awaits them. Best effort; MUST NOT throw. */
  void requested(ApprovalRequest request);

  /**
   * Tells the customer that {@code request} will take effect at its {@code unlocksAt} and how to
   * cancel it. MUST NOT throw.
   *
   * @return whether the notice was delivered; the time-lock does not start before it is
   */
  boolean noticeToCustomer(ApprovalRequest request);

  /**
   * Hands the approved, time-lock-elapsed {@code request} over for execution. MUST be idempotent by
   * {@link ApprovalRequest#id()}: the sweep may hand the same request over more than once (after a
   * crash, or from two instances). MUST NOT throw.
   */
  Handoff execute(ApprovalRequest request);

  /** A dispatch that tells nobody and accepts every hand-off (tests, and installations without a backend). */
  ApprovalDispatch NONE = new ApprovalDispatch() {
    @Override
    public void requested(ApprovalRequest request) {}

    @Override
    public boolean noticeToCustomer(ApprovalRequest request) {
      return true;
    }

    @Override
    public Handoff execute(ApprovalRequest request) {
      return new Handoff.Accepted();
    }
  };
}
