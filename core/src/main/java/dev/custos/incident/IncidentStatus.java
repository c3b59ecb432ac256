package dev.custos.incident;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where an incident stands. The path is open (being scoped), contained (the suspected staff can no
 * longer read anything: detection suspended them or security did), notifying (customers and
 * regulators are being told), closed. Containment comes before notifying because telling customers
 * while the insider still reads would tip them off and widen the scope; an incident found to be no
 * breach is closed from open or contained without notifying. Closed is final.
 */
public enum IncidentStatus {
  OPEN("open"),
  CONTAINED("contained"),
  NOTIFYING("notifying"),
  CLOSED("closed");

  private final String wireName;

  IncidentStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The statuses this one may move to. */
  public Set<IncidentStatus> next() {
    return switch (this) {
      case OPEN -> EnumSet.of(CONTAINED, CLOSED);
      case CONTAINED -> EnumSet.of(NOTIFYING, CLOSED);
      case NOTIFYING -> EnumSet.of(CLOSED);
      case CLOSED -> EnumSet.noneOf(IncidentStatus.class);
    };
  }

  /** Whether the incident is still being worked (anything but closed). */
  public boolean active() {
    return this != CLOSED;
  }

  /** Parses a wire name; the exception's message lists the allowed values. */
  public static IncidentStatus parse(String text) {
    for (IncidentStatus s : values()) {
      if (s.wireName.equals(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException("must be one of open, contained, notifying, closed");
  }
}
