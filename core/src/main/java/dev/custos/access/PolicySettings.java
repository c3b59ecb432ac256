package dev.custos.access;

import dev.custos.vault.Field;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of the {@link AccessPolicy}. Built with {@link #builder()}; every setter refuses a
 * bad value at once, naming the setting, and {@link Builder#build()} checks the settings together.
 * Immutable once built.
 *
 * <p>Defaults:
 * <ul>
 *   <li>{@code mfaWindow} 5 minutes: a reveal needs a second factor proven at most this long ago
 *       (1 second to 1 hour);</li>
 *   <li>{@code maxClockSkew} 5 seconds: how far in the future a second factor's time may lie (clocks
 *       of instances differ slightly; 0 to 1 minute);</li>
 *   <li>{@code breakGlassRoles} support-l2, fraud-analyst, security-analyst (may be empty: no
 *       break-glass at all; admin and auditor are refused, they see no customer data);</li>
 *   <li>reasons: at least {@code minReasonLength} 10 characters (after trimming), at most
 *       {@code maxReasonLength} 500, with at least {@code minReasonLetters} 3 letters, at least 3
 *       different letters, no control characters, and not a placeholder: after lower-casing and
 *       dropping everything but letters and digits, not one of {@link #DEFAULT_PLACEHOLDERS} nor a
 *       repetition of one ({@code "test test test"});</li>
 *   <li>{@code searchableFields} email, phone, government_id; {@code searchResultFields} name,
 *       email, account_status (shown masked, as far as the roles may view them);</li>
 *   <li>{@code staffCreatedTicketsOffTicket} true: a ticket staff created themselves is a purpose,
 *       but its customer counts as an off-ticket customer for the quotas (a self-made ticket must
 *       not be a way around them).</li>
 * </ul>
 */
public final class PolicySettings {
  /** Reasons that say nothing, compared after lower-casing and keeping only letters and digits. */
  public static final Set<String> DEFAULT_PLACEHOLDERS = Set.of("na", "none", "nil", "null", "test", "testing",
      "tbd", "todo", "xxx", "asdf", "qwerty", "reason", "noreason", "because", "idk", "nothing", "whatever", "check",
      "checking", "lorem", "loremipsum", "abc", "123", "ok", "yes", "no", "foo", "bar", "foobar", "blah", "aaa");

  private final Duration mfaWindow;
  private final Duration maxClockSkew;
  private final Set<Role> breakGlassRoles;
  private final int minReasonLength;
  private final int maxReasonLength;
  private final int minReasonLetters;
  private final Set<String> placeholders;
  private final int longestPlaceholder;
  private final Set<Field> searchableFields;
  private final Set<Field> searchResultFields;
  private final boolean staffCreatedTicketsOffTicket;

  private PolicySettings(Builder b) {
    this.mfaWindow = b.mfaWindow;
    this.maxClockSkew = b.maxClockSkew;
    this.breakGlassRoles = Collections.unmodifiableSet(b.breakGlassRoles.isEmpty() ? EnumSet.noneOf(Role.class)
        : EnumSet.copyOf(b.breakGlassRoles));
    this.minReasonLength = b.minReasonLength;
    this.maxReasonLength = b.maxReasonLength;
    this.minReasonLetters = b.minReasonLetters;
    this.placeholders = Set.copyOf(b.placeholders);
    this.longestPlaceholder = placeholders.stream().mapToInt(String::length).max().orElse(0);
    this.searchableFields = Collections.unmodifiableSet(new LinkedHashSet<>(b.searchableFields));
    this.searchResultFields = Collections.unmodifiableSet(new LinkedHashSet<>(b.searchResultFields));
    this.staffCreatedTicketsOffTicket = b.staffCreatedTicketsOffTicket;
  }

  /** The defaults above. */
  public static PolicySettings defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  public Duration mfaWindow() {
    return mfaWindow;
  }

  public Duration maxClockSkew() {
    return maxClockSkew;
  }

  public Set<Role> breakGlassRoles() {
    return breakGlassRoles;
  }

  public int minReasonLength() {
    return minReasonLength;
  }

  public int maxReasonLength() {
    return maxReasonLength;
  }

  public int minReasonLetters() {
    return minReasonLetters;
  }

  public Set<String> placeholders() {
    return placeholders;
  }

  public Set<Field> searchableFields() {
    return searchableFields;
  }

  public Set<Field> searchResultFields() {
    return searchResultFields;
  }

  public boolean staffCreatedTicketsOffTicket() {
    return staffCreatedTicketsOffTicket;
  }

  /**
   * Why {@code reason} is not a real reason, or null when it is one. Pure and cheap; the policy
   * calls it for reveals and break-glass.
   */
  public String reasonProblem(String reason) {
    if (reason == null) {
      return "a reason is required";
    }
    String r = reason.strip();
    if (r.length() < minReasonLength) {
      return "a reason must be at least " + minReasonLength + " characters";
    }
    if (r.length() > maxReasonLength) {
      return "a reason must be at most " + maxReasonLength + " characters";
    }
    StringBuilder normal = new StringBuilder(r.length());
    int letters = 0;
    int distinct = 0;
    long seen = 0; // bit per a-z, for "aaaaaaaaaa"
    Set<Integer> seenOther = null;
    for (int i = 0; i < r.length(); ) {
      int cp = r.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isISOControl(cp)) {
        return "a reason must not contain control characters";
      }
      if (Character.isLetter(cp)) {
        letters++;
        int lower = Character.toLowerCase(cp);
        if (lower >= 'a' && lower <= 'z') {
          long bit = 1L << (lower - 'a');
          if ((seen & bit) == 0) {
            seen |= bit;
            distinct++;
          }
        } else {
          if (seenOther == null) {
            seenOther = new java.util.HashSet<>();
          }
          if (seenOther.add(lower)) {
            distinct++;
          }
        }
      }
      if (Character.isLetterOrDigit(cp)) {
        normal.appendCodePoint(Character.toLowerCase(cp));
      }
    }
    if (letters < minReasonLetters || distinct < Math.min(3, minReasonLetters)) {
      return "a reason must have at least " + minReasonLetters + " letters, not all the same";
    }
    String n = normal.toString();
    if (isPlaceholder(n)) {
      return "a reason must say why, not a placeholder";
    }
    return null;
  }

  /**
   * Whether {@code n} (normalised) is a placeholder or a repetition of one. Allocation-free for the
   * common case of a real reason: a string is a repetition only if it has a period no longer than
   * the longest placeholder, and a period is ruled out by one region comparison.
   */
  private boolean isPlaceholder(String n) {
    if (n.length() <= longestPlaceholder && placeholders.contains(n)) {
      return true;
    }
    int len = n.length();
    for (int period = 1; period <= longestPlaceholder && period < len; period++) {
      if (len % period == 0 && n.regionMatches(period, n, 0, len - period)) {
        // n repeats its first `period` characters; it is a placeholder repeated if some repetition of them is one.
        String unit = n.substring(0, period);
        for (int k = 1; k * period <= longestPlaceholder; k++) {
          if (len % (k * period) == 0 && placeholders.contains(unit.repeat(k))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Builds {@link PolicySettings}; each setter validates its value and names it when refusing. */
  public static final class Builder {
    private Duration mfaWindow = Duration.ofMinutes(5);
    private Duration maxClockSkew = Duration.ofSeconds(5);
    private Set<Role> breakGlassRoles = EnumSet.of(Role.SUPPORT_L2, Role.FRAUD_ANALYST, Role.SECURITY_ANALYST);
    private int minReasonLength = 10;
    private int maxReasonLength = 500;
    private int minReasonLetters = 3;
    private Set<String> placeholders = DEFAULT_PLACEHOLDERS;
    private Set<Field> searchableFields = fields("email", "phone", "government_id");
    private Set<Field> searchResultFields = fields("name", "email", "account_status");
    private boolean staffCreatedTicketsOffTicket = true;

    private Builder() {}

    private static Set<Field> fields(String... names) {
      Set<Field> s = new LinkedHashSet<>();
      for (String n : names) {
        s.add(new Field(n));
      }
      return s;
    }

    public Builder mfaWindow(Duration d) {
      Objects.requireNonNull(d, "mfaWindow");
      if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("mfaWindow must be between 1 second and 1 hour, not " + d);
      }
      this.mfaWindow = d;
      return this;
    }

    public Builder maxClockSkew(Duration d) {
      Objects.requireNonNull(d, "maxClockSkew");
      if (d.isNegative() || d.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("maxClockSkew must be between 0 and 1 minute, not " + d);
      }
      this.maxClockSkew = d;
      return this;
    }

    public Builder breakGlassRoles(Set<Role> roles) {
      Objects.requireNonNull(roles, "breakGlassRoles");
      for (Role r : roles) {
        if (r == Role.ADMINISTRATOR || r == Role.AUDITOR) {
          throw new IllegalArgumentException("breakGlassRoles must not include " + r.wireName()
              + ": that role sees no customer data");
        }
      }
      this.breakGlassRoles = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
      return this;
    }

    public Builder minReasonLength(int n) {
      if (n < 1 || n > 200) {
        throw new IllegalArgumentException("minReasonLength must be between 1 and 200, not " + n);
      }
      this.minReasonLength = n;
      return this;
    }

    public Builder maxReasonLength(int n) {
      if (n < 1 || n > 2000) {
        throw new IllegalArgumentException("maxReasonLength must be between 1 and 2000, not " + n);
      }
      this.maxReasonLength = n;
      return this;
    }

    public Builder minReasonLetters(int n) {
      if (n < 0 || n > 200) {
        throw new IllegalArgumentException("minReasonLetters must be between 0 and 200, not " + n);
      }
      this.minReasonLetters = n;
      return this;
    }

    /** Placeholders, compared after lower-casing and keeping only letters and digits. */
    public Builder placeholders(Set<String> p) {
      Objects.requireNonNull(p, "placeholders");
      for (String s : p) {
        if (s == null || s.isEmpty() || !s.chars().allMatch(c -> Character.isLetterOrDigit(c) && !Character.isUpperCase(c))) {
          throw new IllegalArgumentException("placeholders must be non-empty lower-case letters and digits only");
        }
      }
      this.placeholders = Set.copyOf(p);
      return this;
    }

    public Builder searchableFields(Set<Field> f) {
      Objects.requireNonNull(f, "searchableFields");
      this.searchableFields = new LinkedHashSet<>(f);
      return this;
    }

    public Builder searchResultFields(Set<Field> f) {
      Objects.requireNonNull(f, "searchResultFields");
      this.searchResultFields = new LinkedHashSet<>(f);
      return this;
    }

    public Builder staffCreatedTicketsOffTicket(boolean b) {
      this.staffCreatedTicketsOffTicket = b;
      return this;
    }

    /** The settings; refuses combinations that do not make sense, naming them. */
    public PolicySettings build() {
      if (maxReasonLength < minReasonLength) {
        throw new IllegalArgumentException("maxReasonLength (" + maxReasonLength + ") must not be below minReasonLength ("
            + minReasonLength + ")");
      }
      if (minReasonLetters > minReasonLength) {
        throw new IllegalArgumentException("minReasonLetters (" + minReasonLetters + ") must not exceed minReasonLength ("
            + minReasonLength + ")");
      }
      if (searchResultFields.isEmpty()) {
        throw new IllegalArgumentException("searchResultFields must name at least one field");
      }
      return new PolicySettings(this);
    }
  }

  @Override
  public String toString() {
    return "PolicySettings[mfaWindow=" + mfaWindow + ", maxClockSkew=" + maxClockSkew + ", breakGlassRoles="
        + breakGlassRoles.stream().map(Role::wireName).toList() + ", reason=" + minReasonLength + ".." + maxReasonLength
        + " chars, " + minReasonLetters + "+ letters, searchable=" + searchableFields + ", searchResults="
        + searchResultFields + ", staffCreatedTicketsOffTicket=" + staffCreatedTicketsOffTicket + "]";
  }
}
