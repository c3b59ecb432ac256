package dev.custos.access;

/**
 * The limits of the {@link Guardrails}, per member of staff. Validated when built: each limit is
 * between 0 and 100,000, and a per-day limit below the matching per-hour one is refused as a
 * mistake (it would make the hourly one meaningless).
 *
 * @param offTicketCustomersPerHour distinct customers seen outside assigned tickets in any hour (default 0)
 * @param offTicketCustomersPerDay the same in any 24 hours (default 0)
 * @param revealsPerHour reveals in any hour (default 20)
 * @param searchesPerHour searches in any hour (default 30)
 * @param breakGlassCustomersPerDay distinct customers seen under break-glass in any 24 hours (default 3)
 */
public record QuotaSettings(long offTicketCustomersPerHour, long offTicketCustomersPerDay, long revealsPerHour,
    long searchesPerHour, long breakGlassCustomersPerDay) {
  private static final long MAX = 100_000;

  public QuotaSettings {
    check("offTicketCustomersPerHour", offTicketCustomersPerHour);
    check("offTicketCustomersPerDay", offTicketCustomersPerDay);
    check("revealsPerHour", revealsPerHour);
    check("searchesPerHour", searchesPerHour);
    check("breakGlassCustomersPerDay", breakGlassCustomersPerDay);
    if (offTicketCustomersPerDay < offTicketCustomersPerHour) {
      throw new IllegalArgumentException("offTicketCustomersPerDay (" + offTicketCustomersPerDay
          + ") must not be below offTicketCustomersPerHour (" + offTicketCustomersPerHour + ")");
    }
  }

  private static void check(String name, long v) {
    if (v < 0 || v > MAX) {
      throw new IllegalArgumentException(name + " must be between 0 and " + MAX + ", not " + v);
    }
  }

  /** The defaults: no off-ticket customers, 20 reveals and 30 searches an hour, 3 break-glass customers a day. */
  public static QuotaSettings defaults() {
    return new QuotaSettings(0, 0, 20, 30, 3);
  }
}
