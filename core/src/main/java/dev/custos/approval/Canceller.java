package dev.custos.approval;

/** Who withdraws a request. */
public sealed interface Canceller {
  /** A member of staff: the requester, or a security analyst. */
  record Staff(Participant who) implements Canceller {}

  /** The customer the request is about, through the link of the time-lock notice. */
  record Customer() implements Canceller {}
}
