package dev.custos.detect;

/** The behaviours the detector scores; each reading says how surprising the person's recent behaviour is. */
public enum Signal {
  /** Distinct customers in the short window against the person's own rate, shrunk towards their peer group's. */
  VOLUME,
  /** Share of distinct customers on none of the person's tickets, cases or linked accounts. */
  NO_TICKET,
  /** Distinct customers per ticket handled. */
  LOOKUPS_PER_TICKET,
  /** Reveals per customer viewed. */
  REVEAL_RATE,
  /** Share of reveals that unmasked restricted or secret fields. */
  SENSITIVE_MIX,
  /** Share of activity outside the person's shifts. */
  OFF_SHIFT,
  /** Share of distinct customers who are VIP or hold high balances. */
  HIGH_VALUE,
  /** Searches in the short window against the person's own rate. */
  SEARCH,
  /**
   * Share of searches that found nobody: an agent looks up the address on their ticket and finds
   * its customer, someone enumerating guesses addresses and mostly misses. Evidence apart from the
   * searches' rate (a busy honest searcher finds whom they look for).
   */
  SEARCH_MISSES,
  /**
   * Searches that found someone whom the person then did not look at (another search came first):
   * an agent looks up the customer of their ticket to work on them, someone enumerating takes what
   * the results page shows and moves on to the next guess. A rate against the person's own (an
   * honest agent opens the customer they searched for), evidence apart from the searches' rate
   * and their misses: it is what a burst of guesses that happen to hit still gives away.
   */
  SEARCH_UNUSED,
  /** Unexplained customers that another member of staff also touched without a ticket. */
  COLLUSION,
  /** Share of the person's tickets they created themselves for customers who had not been in contact. */
  SELF_CREATED,
  /**
   * Share of the tickets the person created themselves that are for customers who had not been in
   * contact. Honest outbound work mostly follows up customers who are in touch; a fabricated
   * ticket needs a customer with no request of their own. Judged against the person's mix (shrunk
   * to their peers'), so evidence apart from how many tickets they create: a fabricator whose
   * honest outbound work already creates many changes the mix even where the count stays within
   * their own rate.
   */
  SELF_CREATED_UNSOLICITED,
  /** Share of closed tickets closed within minutes of being opened. */
  QUICK_CLOSE,
  /**
   * Customers on none of the person's tickets accumulated over days (a CUSUM against their own
   * rate): a steady small excess, a few a day, builds up where a window forgets it.
   */
  NO_TICKET_EXCESS,
  /**
   * Self-created tickets for customers not in contact, accumulated over days (a CUSUM against
   * their own rate, shrunk to their peers').
   */
  SELF_CREATED_EXCESS,
  /**
   * VIP or high-balance customers of tickets the person created themselves for customers not in
   * contact, accumulated over days (a CUSUM against the rate their outbound work would reach VIPs
   * at: their own rate of such tickets times the customers' VIP share). A fabricated ticket lets its
   * author choose the customer, and whom an insider chooses is whom it pays to leak; honest
   * outbound work follows the customers' needs. Evidence apart from the count of such tickets
   * (who, not how many).
   */
  SELF_CREATED_HIGH_VALUE,
  /** A session from a device or address never seen for the person (amplifies the others). */
  NEW_DEVICE,
  /** A decoy customer was touched: no legitimate work ever does. */
  DECOY;

  /** The name used in the API and the ledger. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
