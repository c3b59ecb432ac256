package dev.custos.sim;

import java.util.Locale;

/** The attack scenarios the simulator plays, each as a careful insider would (docs/detection.md). */
public enum Scenario {
  /** Bulk scraping of customers on none of the insider's tickets, as fast as the console allows. */
  SMASH_AND_GRAB,
  /** Two to four extra customers a working day, each right after a real ticket view, for weeks. */
  LOW_AND_SLOW,
  /** A handful of VIP and high-balance customers a day, spread over the shift. */
  VIP_TARGETING,
  /** Three to five tickets a day created by the insider for customers they want, worked and closed like real ones. */
  TICKET_FABRICATION,
  /** A thief with an agent's session, from a new device and address, at night. */
  STOLEN_SESSION,
  /** Two agents sharing one target list: one looks customers up, the other reveals their details. */
  COLLUDING_PAIR,
  /** Exact-match searches for guessed e-mails and phones, viewing the hits. */
  SEARCH_ENUMERATION,
  /** A slow harvester whose search results include the decoys assigned to them. */
  DECOY_TOUCH;

  /** The report's name ({@code smash-and-grab}, ...). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
