package dev.custos.detect;

import java.time.Duration;
import java.util.Objects;

/**
 * The detector's configuration: the risk thresholds of each measure and the statistical settings.
 * Built once and validated as a whole (fail closed: a bad setting is refused, never clamped);
 * immutable afterwards.
 *
 * <p>Risk is a sum of surprises ({@code -log10} tail probabilities), so a threshold of 12 means
 * "behaviour this person's baseline gives about a one-in-10^12 chance", combined across signals.
 */
public final class DetectionPolicy {
  final double alert;
  final double stepUp;
  final double throttle;
  final double suspend;
  final long shortWindowMillis;
  final long longWindowMillis;
  final long noveltyMillis;
  final long quickCloseMillis;
  final double priorCustomers;
  final double priorMinutes;
  final double dispersion;
  final double population;
  final double learnBelow;
  final double warmUpMinutes;

  private DetectionPolicy(Builder b) {
    this.alert = b.alert;
    this.stepUp = b.stepUp;
    this.throttle = b.throttle;
    this.suspend = b.suspend;
    this.shortWindowMillis = b.shortWindow.toMillis();
    this.longWindowMillis = b.longWindow.toMillis();
    this.noveltyMillis = b.novelty.toMillis();
    this.quickCloseMillis = b.quickClose.toMillis();
    this.priorCustomers = b.priorCustomers;
    this.priorMinutes = b.priorMinutes;
    this.dispersion = b.dispersion;
    this.population = b.population;
    this.learnBelow = b.learnBelow;
    this.warmUpMinutes = b.warmUp.toMillis() / 60_000.0;
  }

  /** The defaults, tuned with the simulator (docs/detection.md). */
  public static DetectionPolicy defaults() {
    return builder().build();
  }

  /** A builder starting from this policy's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.alert = alert;
    b.stepUp = stepUp;
    b.throttle = throttle;
    b.suspend = suspend;
    b.shortWindow = Duration.ofMillis(shortWindowMillis);
    b.longWindow = Duration.ofMillis(longWindowMillis);
    b.novelty = Duration.ofMillis(noveltyMillis);
    b.quickClose = Duration.ofMillis(quickCloseMillis);
    b.priorCustomers = priorCustomers;
    b.priorMinutes = priorMinutes;
    b.dispersion = dispersion;
    b.population = population;
    b.learnBelow = learnBelow;
    b.warmUp = Duration.ofMillis((long) (warmUpMinutes * 60_000));
    return b;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The risk at which {@code measure} applies (0 for {@link Measure#NONE}). */
  public double threshold(Measure measure) {
    return switch (measure) {
      case NONE -> 0;
      case ALERT -> alert;
      case STEP_UP -> stepUp;
      case THROTTLE -> throttle;
      case SUSPEND -> suspend;
    };
  }

  /** The measure a risk score calls for. */
  Measure measureFor(double risk) {
    if (risk >= suspend) {
      return Measure.SUSPEND;
    }
    if (risk >= throttle) {
      return Measure.THROTTLE;
    }
    if (risk >= stepUp) {
      return Measure.STEP_UP;
    }
    return risk >= alert ? Measure.ALERT : Measure.NONE;
  }

  /** The long window: how far back a person's counts reach (and what a restart relearns). */
  public Duration longWindow() {
    return Duration.ofMillis(longWindowMillis);
  }

  @Override
  public String toString() {
    return "DetectionPolicy[alert=" + alert + ", stepUp=" + stepUp + ", throttle=" + throttle + ", suspend=" + suspend
        + ", shortWindow=" + Duration.ofMillis(shortWindowMillis) + ", longWindow=" + Duration.ofMillis(longWindowMillis)
        + ", novelty=" + Duration.ofMillis(noveltyMillis) + ", quickClose=" + Duration.ofMillis(quickCloseMillis)
        + ", priorCustomers=" + priorCustomers + ", priorMinutes=" + priorMinutes + ", dispersion=" + dispersion
        + ", population=" + population + ", learnBelow=" + learnBelow + ", warmUpMinutes=" + warmUpMinutes + "]";
  }

  /** Builds a {@link DetectionPolicy}; each setter refuses a bad value naming the setting. */
  public static final class Builder {
    private double alert = 9.5;
    private double stepUp = 10;
    private double throttle = 11.5;
    private double suspend = 12;
    private Duration shortWindow = Duration.ofMinutes(15);
    private Duration longWindow = Duration.ofDays(14);
    private Duration novelty = Duration.ofHours(24);
    private Duration quickClose = Duration.ofMinutes(5);
    private double priorCustomers = 200;
    private double priorMinutes = 8 * 60;
    private double dispersion = 3;
    private double population = 1_000_000;
    private double learnBelow = 0.2;
    private Duration warmUp = Duration.ofHours(8);

    private Builder() {}

    /** Risk thresholds of alert, step-up, throttle and suspend; each positive and strictly increasing. */
    public Builder thresholds(double alert, double stepUp, double throttle, double suspend) {
      if (!(alert > 0 && alert < stepUp && stepUp < throttle && throttle < suspend) || Double.isInfinite(suspend)) {
        throw new IllegalArgumentException("thresholds must be finite, positive and strictly increasing "
            + "(alert < step-up < throttle < suspend), were " + alert + ", " + stepUp + ", " + throttle + ", " + suspend);
      }
      this.alert = alert;
      this.stepUp = stepUp;
      this.throttle = throttle;
      this.suspend = suspend;
      return this;
    }

    /** The short window (bursts), 1 minute to 1 day. */
    public Builder shortWindow(Duration d) {
      this.shortWindow = within("shortWindow", d, Duration.ofMinutes(1), Duration.ofDays(1));
      return this;
    }

    /** The long window (slow drifts), 1 hour to 90 days. */
    public Builder longWindow(Duration d) {
      this.longWindow = within("longWindow", d, Duration.ofHours(1), Duration.ofDays(90));
      return this;
    }

    /** After how long a customer the person saw before counts as new again, 1 minute to 30 days. */
    public Builder novelty(Duration d) {
      this.novelty = within("novelty", d, Duration.ofMinutes(1), Duration.ofDays(30));
      return this;
    }

    /** A ticket closed within this time of its creation counts as closed right away, 0 to 1 day. */
    public Builder quickClose(Duration d) {
      this.quickClose = within("quickClose", d, Duration.ZERO, Duration.ofDays(1));
      return this;
    }

    /** How many customers of peer-group behaviour a person's own history is worth at first (the prior's weight). */
    public Builder priorCustomers(double n) {
      this.priorCustomers = positive("priorCustomers", n);
      return this;
    }

    /** How many active minutes of peer-group rate a person's own rate is worth at first. */
    public Builder priorMinutes(double n) {
      this.priorMinutes = positive("priorMinutes", n);
      return this;
    }

    /** The negative-binomial shape for counts (smaller = more day-to-day variation tolerated). */
    public Builder dispersion(double r) {
      this.dispersion = positive("dispersion", r);
      return this;
    }

    /** How many customers the exchange has (the chance that two people touch the same one by accident). */
    public Builder population(double n) {
      if (!(n >= 1) || Double.isInfinite(n)) {
        throw new IllegalArgumentException("population must be a finite number >= 1, was " + n);
      }
      this.population = n;
      return this;
    }

    /**
     * The fraction of the alert threshold under which behaviour still teaches the person's
     * baseline (above it, nothing is learnt, so an insider cannot train their own baseline fast).
     */
    public Builder learnBelow(double fraction) {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException("learnBelow must be in (0, 1], was " + fraction);
      }
      this.learnBelow = fraction;
      return this;
    }

    /**
     * How much learnt activity per member a peer group needs before the detector asks for any
     * measure other than a decoy's suspension (0 to 30 days of active time): a new deployment
     * first learns, and learning lags a week behind (see {@link Detector}), so the default (8
     * hours, about one shift each) means about a week and a day and a half after the first events.
     */
    public Builder warmUp(Duration d) {
      this.warmUp = within("warmUp", d, Duration.ZERO, Duration.ofDays(30));
      return this;
    }

    /** The policy. */
    public DetectionPolicy build() {
      if (shortWindow.compareTo(longWindow) >= 0) {
        throw new IllegalArgumentException("shortWindow (" + shortWindow + ") must be shorter than longWindow (" + longWindow + ")");
      }
      return new DetectionPolicy(this);
    }

    private static double positive(String name, double v) {
      if (!(v > 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException(name + " must be a finite positive number, was " + v);
      }
      return v;
    }

    private static Duration within(String name, Duration d, Duration min, Duration max) {
      Objects.requireNonNull(d, name);
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + d);
      }
      return d;
    }
  }
}
