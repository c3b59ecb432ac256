package dev.custos.detect;

import java.util.Objects;

/**
 * One signal's contribution to a risk score, with the figures that explain it.
 *
 * @param signal which behaviour
 * @param value the person's figure in the window (a count, or a share)
 * @param ownBaseline what the person's own history predicts for it
 * @param peerBaseline what their peer group's history predicts for it
 * @param surprise {@code -log10} of the tail probability of {@code value} under the baseline
 */
public record Reading(Signal signal, double value, double ownBaseline, double peerBaseline, double surprise) {
  public Reading {
    Objects.requireNonNull(signal, "signal");
  }
}
