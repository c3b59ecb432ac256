package dev.custos.approval;

import dev.custos.access.Role;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The approval catalogue and the withdrawal rules as an operator configures them: a text file of
 * overrides on top of the defaults ({@link ApprovalCatalogue#defaults()},
 * {@link WithdrawalRules#defaults()}), so a file names only what it changes.
 *
 * <pre>
 * # comment; blank lines and everything after '#' are ignored
 * 2fa-reset.required = 3                      # m: 1 to 10
 * 2fa-reset.roles = approver security-analyst # who may approve (n: everyone holding one)
 * 2fa-reset.teams = payments-ops              # approvers must be in one of these teams (empty: any)
 * 2fa-reset.distinct-team = true              # never an approver from the requester's team
 * 2fa-reset.expiry = 24h                      # 1m to 30d
 * 2fa-reset.time-lock = 48h                   # 0 to 30d
 * 2fa-reset.notify-customer = true            # the customer is told and may cancel during the time-lock
 * withdrawals.velocity-window = 24h
 * withdrawals.whitelist-min-age = 48h
 * withdrawals.security-change-hold = 24h
 * withdrawals.containment-hold = 24h
 * withdrawals.asset.BTC = 1 50 2              # approval above, block above, velocity limit (exact decimals)
 * withdrawals.asset.DOGE = none               # no longer an asset the wallet may ask about: blocked
 * </pre>
 *
 * Durations are a whole number followed by {@code s}, {@code m}, {@code h} or {@code d}. Every error
 * names the line and the key; a key given twice is an error, so a file never means two things.
 *
 * @param catalogue the approval policy of every sensitive action
 * @param withdrawals the withdrawal policy's limits and windows
 */
public record ApprovalPolicyFile(ApprovalCatalogue catalogue, WithdrawalRules withdrawals) {
  private static final Pattern LINE = Pattern.compile("([A-Za-z0-9._-]+)\\s*=\\s*(.*)");
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})([smhd])");
  private static final Pattern ASSET = Pattern.compile("[A-Z0-9]{2,12}");
  private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,30}(\\.[0-9]{1,30})?");

  public ApprovalPolicyFile {
    Objects.requireNonNull(catalogue, "catalogue");
    Objects.requireNonNull(withdrawals, "withdrawals");
  }

  /** The defaults, as if the file were empty. */
  public static ApprovalPolicyFile defaults() {
    return new ApprovalPolicyFile(ApprovalCatalogue.defaults(), WithdrawalRules.defaults());
  }

  /**
   * Parses the overrides in {@code text} onto the defaults.
   *
   * @throws IllegalArgumentException naming the line and key of the first error
   */
  public static ApprovalPolicyFile parse(String text) {
    Objects.requireNonNull(text, "text");
    Map<String, Integer> seen = new HashMap<>();
    Map<SensitiveAction, Map<String, Located>> actions = new TreeMap<>();
    Map<String, Located> withdrawal = new TreeMap<>();
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i];
      int hash = line.indexOf('#');
      line = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (line.isEmpty()) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("line " + number + ": expected '<key> = <value>'");
      }
      String key = m.group(1);
      Located value = new Located(number, key, m.group(2).strip());
      Integer earlier = seen.putIfAbsent(key.toLowerCase(Locale.ROOT), number);
      if (earlier != null) {
        throw value.error("is already set on line " + earlier);
      }
      if (key.startsWith("withdrawals.")) {
        withdrawal.put(key.substring("withdrawals.".length()), value);
        continue;
      }
      int dot = key.lastIndexOf('.');
      if (dot <= 0) {
        throw value.error("is not a setting: expected '<action>.<attribute>' or 'withdrawals.<setting>'");
      }
      SensitiveAction action;
      try {
        action = SensitiveAction.parse(key.substring(0, dot));
      } catch (IllegalArgumentException e) {
        throw value.error("does not name a sensitive action; " + e.getMessage());
      }
      actions.computeIfAbsent(action, a -> new HashMap<>()).put(key.substring(dot + 1), value);
    }
    ApprovalCatalogue catalogue = ApprovalCatalogue.defaults();
    for (Map.Entry<SensitiveAction, Map<String, Located>> e : actions.entrySet()) {
      catalogue = catalogue.with(policy(catalogue.policy(e.getKey()), e.getValue()));
    }
    return new ApprovalPolicyFile(catalogue, withdrawals(WithdrawalRules.defaults(), withdrawal));
  }

  private static ActionPolicy policy(ActionPolicy base, Map<String, Located> overrides) {
    int required = base.required();
    Set<Role> roles = base.approverRoles();
    Set<String> teams = base.approverTeams();
    boolean distinctTeam = base.distinctTeam();
    Duration expiry = base.expiry();
    Duration timeLock = base.timeLock();
    boolean notify = base.notifyCustomer();
    Located last = null;
    for (Located v : overrides.values()) {
      last = v;
      String attribute = v.key().substring(v.key().lastIndexOf('.') + 1);
      switch (attribute) {
        case "required" -> required = v.integer(1, ActionPolicy.MAX_REQUIRED);
        case "roles" -> {
          Set<Role> parsed = EnumSet.noneOf(Role.class);
          for (String r : v.words()) {
            try {
              parsed.add(Role.parse(r));
            } catch (IllegalArgumentException e) {
              throw v.error(e.getMessage());
            }
          }
          if (parsed.isEmpty()) {
            throw v.error("must name at least one role");
          }
          roles = parsed;
        }
        case "teams" -> teams = new LinkedHashSet<>(v.words());
        case "distinct-team" -> distinctTeam = v.bool();
        case "expiry" -> expiry = v.duration();
        case "time-lock" -> timeLock = v.duration();
        case "notify-customer" -> notify = v.bool();
        default -> throw v.error("is not an attribute; expected one of required, roles, teams, distinct-team, expiry, "
            + "time-lock, notify-customer");
      }
    }
    try {
      return new ActionPolicy(base.action(), required, roles, teams, distinctTeam, expiry, timeLock, notify);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("line " + last.line() + ": " + e.getMessage(), e);
    }
  }

  private static WithdrawalRules withdrawals(WithdrawalRules base, Map<String, Located> overrides) {
    Map<String, WithdrawalRules.AssetLimits> assets = new TreeMap<>(base.assets());
    Duration velocity = base.velocityWindow();
    Duration minAge = base.whitelistMinAge();
    Duration securityHold = base.securityChangeHold();
    Duration containmentHold = base.containmentHold();
    for (Located v : overrides.values()) {
      String name = v.key().substring("withdrawals.".length());
      if (name.startsWith("asset.")) {
        String asset = name.substring("asset.".length());
        if (!ASSET.matcher(asset).matches()) {
          throw v.error("names no asset: 2 to 12 upper-case letters or digits");
        }
        if (v.value().equals("none")) {
          assets.remove(asset);
          continue;
        }
        String[] words = v.value().split("\\s+");
        if (words.length != 3 || !DECIMAL.matcher(words[0]).matches() || !DECIMAL.matcher(words[1]).matches()
            || !DECIMAL.matcher(words[2]).matches()) {
          throw v.error("expected '<approval above> <block above> <velocity limit>' (exact decimals) or 'none'");
        }
        try {
          assets.put(asset, new WithdrawalRules.AssetLimits(new BigDecimal(words[0]), new BigDecimal(words[1]),
              new BigDecimal(words[2])));
        } catch (IllegalArgumentException e) {
          throw v.error(e.getMessage());
        }
        continue;
      }
      switch (name) {
        case "velocity-window" -> velocity = v.window(false);
        case "whitelist-min-age" -> minAge = v.window(true);
        case "security-change-hold" -> securityHold = v.window(true);
        case "containment-hold" -> containmentHold = v.window(true);
        default -> throw v.error("is not a withdrawal setting; expected velocity-window, whitelist-min-age, "
            + "security-change-hold, containment-hold or asset.<ASSET>");
      }
    }
    try {
      return new WithdrawalRules(assets, velocity, minAge, securityHold, containmentHold);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("withdrawals: " + e.getMessage(), e);
    }
  }

  private record Located(int line, String key, String value) {
    IllegalArgumentException error(String why) {
      return new IllegalArgumentException("line " + line + " (" + key + "): " + why);
    }

    int integer(int min, int max) {
      if (!value.matches("[0-9]{1,4}")) {
        throw error("must be a whole number from " + min + " to " + max);
      }
      int n = Integer.parseInt(value);
      if (n < min || n > max) {
        throw error("must be a whole number from " + min + " to " + max);
      }
      return n;
    }

    boolean bool() {
      return switch (value) {
        case "true" -> true;
        case "false" -> false;
        default -> throw error("must be true or false");
      };
    }

    Duration duration() {
      Matcher m = DURATION.matcher(value);
      if (!m.matches()) {
        throw error("must be a duration such as 90s, 30m, 24h or 2d");
      }
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }

    /** A withdrawal window: at most 30 days, and longer than nothing unless {@code zeroAllowed}. */
    Duration window(boolean zeroAllowed) {
      Duration d = duration();
      if (d.compareTo(Duration.ofDays(30)) > 0 || d.isZero() && !zeroAllowed) {
        throw error(zeroAllowed ? "must be 0s to 30d" : "must be longer than nothing, at most 30d");
      }
      return d;
    }

    java.util.List<String> words() {
      return value.isEmpty() ? java.util.List.of() : java.util.List.of(value.split("[\\s,]+"));
    }
  }
}
