package dev.custos.detect;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A member of staff's risk at one moment, with its explanation: the measure the policy asks for,
 * the score and the signals that made it, strongest first.
 *
 * @param staff who
 * @param at when
 * @param measure what the policy asks the caller to do
 * @param risk the combined score (0 = nothing unusual)
 * @param readings the signals that contributed, strongest first
 */
public record Assessment(StaffId staff, Instant at, Measure measure, double risk, List<Reading> readings) {
  public Assessment {
    Objects.requireNonNull(staff, "staff");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(measure, "measure");
    readings = List.copyOf(readings);
  }

  /** One line for logs and alerts: the measure, the score and each signal with its figures. */
  public String explain() {
    StringBuilder s = new StringBuilder();
    s.append(staff).append(' ').append(measure.wireName()).append(String.format(java.util.Locale.ROOT, " risk %.1f:", risk));
    for (Reading r : readings) {
      s.append(String.format(java.util.Locale.ROOT, " %s=%.3g (own %.3g, peers %.3g, surprise %.1f)",
          r.signal().wireName(), r.value(), r.ownBaseline(), r.peerBaseline(), r.surprise()));
    }
    return s.toString();
  }
}
