package dev.custos.vault;

import static dev.custos.access.Role.APPROVER;
import static dev.custos.access.Role.FRAUD_ANALYST;
import static dev.custos.access.Role.KYC_REVIEWER;
import static dev.custos.access.Role.SECURITY_ANALYST;
import static dev.custos.access.Role.SUPPORT_L1;
import static dev.custos.access.Role.SUPPORT_L2;

import dev.custos.access.Role;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fields a customer record may have, each with its classification, default mask and the roles
 * that see and reveal it. Immutable once built; the vault refuses fields it does not list, and the
 * access policy shows a role only what the catalogue grants it.
 */
public final class FieldCatalogue {
  private final Map<Field, FieldSpec> specs;

  private FieldCatalogue(Collection<FieldSpec> specs) {
    Map<Field, FieldSpec> m = new LinkedHashMap<>();
    for (FieldSpec s : specs) {
      if (m.put(s.field(), s) != null) {
        throw new IllegalArgumentException("field " + s.field() + " is listed twice in the catalogue");
      }
    }
    if (m.isEmpty()) {
      throw new IllegalArgumentException("the field catalogue lists no field");
    }
    this.specs = Collections.unmodifiableMap(m);
  }

  /** A catalogue of exactly these fields, in this order. */
  public static FieldCatalogue of(Collection<FieldSpec> specs) {
    return new FieldCatalogue(specs);
  }

  /**
   * Parses the catalogue text format: one field per line,
   * <pre>
   * # comment; blank lines are ignored, and so is everything after a '#'
   * email = confidential, partial-email, view: support-l1 support-l2, reveal: support-l2
   * nationality = confidential, none, view: support-l1
   * account_status = public, none
   * </pre>
   * that is {@code <field> = <classification>, <default mask>} followed by optional
   * {@code view: <roles>} and {@code reveal: <roles>} clauses (roles by wire name, separated by
   * spaces; a field without {@code view:} is shown to no role). Every revealer must be a viewer.
   *
   * @throws IllegalArgumentException naming the line number and, when known, the field
   */
  public static FieldCatalogue parse(String text) {
    java.util.Objects.requireNonNull(text, "text");
    List<FieldSpec> specs = new ArrayList<>();
    Map<Field, Integer> seen = new LinkedHashMap<>();
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i];
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      FieldSpec spec = parseLine(number, line);
      Integer earlier = seen.putIfAbsent(spec.field(), number);
      if (earlier != null) {
        throw new IllegalArgumentException("line " + number + " (field " + spec.field() + "): the field is already listed on line " + earlier);
      }
      specs.add(spec);
    }
    if (specs.isEmpty()) {
      throw new IllegalArgumentException("the field catalogue lists no field");
    }
    return new FieldCatalogue(specs);
  }

  private static FieldSpec parseLine(int number, String line) {
    int eq = line.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("line " + number + ": expected '<field> = <classification>, <mask>[, view: <roles>][, reveal: <roles>]'");
    }
    String name = line.substring(0, eq).strip();
    String where = "line " + number + " (field " + name + "): ";
    Field field;
    try {
      field = Field.parse(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("line " + number + ": " + e.getMessage(), e);
    }
    String[] parts = line.substring(eq + 1).split(",", -1);
    if (parts.length < 2) {
      throw new IllegalArgumentException(where + "expected a classification and a mask after '='");
    }
    try {
      Classification classification = Classification.parse(parts[0]);
      Mask mask = Mask.parse(parts[1]);
      Set<Role> viewers = null;
      Set<Role> revealers = null;
      for (int p = 2; p < parts.length; p++) {
        String clause = parts[p].strip();
        int colon = clause.indexOf(':');
        String key = colon < 0 ? clause : clause.substring(0, colon).strip();
        if (colon < 0 || !(key.equals("view") || key.equals("reveal"))) {
          throw new IllegalArgumentException("expected 'view: <roles>' or 'reveal: <roles>', found '" + clause + "'");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : clause.substring(colon + 1).strip().split("\\s+")) {
          if (!r.isEmpty() && !roles.add(Role.parse(r))) {
            throw new IllegalArgumentException("role " + r + " is listed twice in '" + key + "'");
          }
        }
        if (key.equals("view")) {
          if (viewers != null) {
            throw new IllegalArgumentException("'view:' is given twice");
          }
          viewers = roles;
        } else {
          if (revealers != null) {
            throw new IllegalArgumentException("'reveal:' is given twice");
          }
          revealers = roles;
        }
      }
      return new FieldSpec(field, classification, mask, viewers == null ? Set.of() : viewers,
          revealers == null ? Set.of() : revealers);
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      // FieldSpec names the field itself; do not say it twice.
      throw new IllegalArgumentException(message.startsWith("field " + field + ": ")
          ? "line " + number + " (" + message.replaceFirst(": ", "): ")
          : where + message, e);
    }
  }

  /** This catalogue in the text format of {@link #parse}, one field per line, in catalogue order. */
  public String toText() {
    StringBuilder out = new StringBuilder();
    for (FieldSpec s : specs.values()) {
      out.append(s.field()).append(" = ").append(s.classification().wireName()).append(", ")
          .append(s.defaultMask().wireName());
      if (!s.viewers().isEmpty()) {
        out.append(", view:");
        EnumSet.copyOf(s.viewers()).forEach(r -> out.append(' ').append(r.wireName()));
      }
      if (!s.revealers().isEmpty()) {
        out.append(", reveal:");
        EnumSet.copyOf(s.revealers()).forEach(r -> out.append(' ').append(r.wireName()));
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** The spec of {@code field}, if the catalogue lists it. */
  public Optional<FieldSpec> spec(Field field) {
    return Optional.ofNullable(specs.get(field));
  }

  /** Whether the catalogue lists {@code field}. */
  public boolean contains(Field field) {
    return specs.containsKey(field);
  }

  /** Every field spec, in catalogue order. */
  public Collection<FieldSpec> specs() {
    return specs.values();
  }

  /** Every field name, in catalogue order. */
  public Set<Field> fields() {
    return specs.keySet();
  }

  /**
   * The default catalogue for a crypto exchange. Support sees what a ticket needs, masked; identity
   * documents and tax ids are for KYC; balances, withdrawal addresses, logins and transactions are
   * for fraud; administrators and auditors see no customer data at all.
   */
  public static FieldCatalogue exchangeDefault() {
    Set<Role> desk = EnumSet.of(SUPPORT_L1, SUPPORT_L2, KYC_REVIEWER, FRAUD_ANALYST, SECURITY_ANALYST, APPROVER);
    Set<Role> none = Set.of();
    List<FieldSpec> s = new ArrayList<>();
    s.add(spec("name", Classification.CONFIDENTIAL, Mask.INITIAL, desk,
        EnumSet.of(SUPPORT_L2, KYC_REVIEWER, FRAUD_ANALYST, SECURITY_ANALYST)));
    s.add(spec("email", Classification.CONFIDENTIAL, Mask.PARTIAL_EMAIL, desk,
        EnumSet.of(SUPPORT_L1, SUPPORT_L2, KYC_REVIEWER, FRAUD_ANALYST, SECURITY_ANALYST)));
    s.add(spec("phone", Classification.CONFIDENTIAL, Mask.LAST_4, desk,
        EnumSet.of(SUPPORT_L2, KYC_REVIEWER, FRAUD_ANALYST, SECURITY_ANALYST)));
    s.add(spec("date_of_birth", Classification.CONFIDENTIAL, Mask.YEAR_ONLY, desk, EnumSet.of(KYC_REVIEWER, FRAUD_ANALYST)));
    s.add(spec("address", Classification.CONFIDENTIAL, Mask.CITY_AND_COUNTRY, desk,
        EnumSet.of(SUPPORT_L2, KYC_REVIEWER, FRAUD_ANALYST)));
    s.add(spec("nationality", Classification.CONFIDENTIAL, Mask.NONE, desk, none));
    s.add(spec("government_id", Classification.RESTRICTED, Mask.LAST_4,
        EnumSet.of(SUPPORT_L2, KYC_REVIEWER, FRAUD_ANALYST, SECURITY_ANALYST), EnumSet.of(KYC_REVIEWER)));
    s.add(spec("id_documents", Classification.RESTRICTED, Mask.REDACTED,
        EnumSet.of(KYC_REVIEWER, FRAUD_ANALYST, SECURITY_ANALYST), EnumSet.of(KYC_REVIEWER)));
    s.add(spec("tax_id", Classification.RESTRICTED, Mask.LAST_4, EnumSet.of(KYC_REVIEWER, FRAUD_ANALYST),
        EnumSet.of(KYC_REVIEWER)));
    s.add(spec("bank_account", Classification.RESTRICTED, Mask.LAST_4, EnumSet.of(SUPPORT_L2, KYC_REVIEWER, FRAUD_ANALYST),
        EnumSet.of(FRAUD_ANALYST)));
    s.add(spec("balances", Classification.SECRET, Mask.RANGE_BUCKET,
        EnumSet.of(SUPPORT_L1, SUPPORT_L2, FRAUD_ANALYST, SECURITY_ANALYST, APPROVER), EnumSet.of(FRAUD_ANALYST)));
    s.add(spec("account_tier", Classification.INTERNAL, Mask.NONE, desk, none));
    s.add(spec("account_status", Classification.PUBLIC, Mask.NONE, desk, none));
    s.add(spec("two_factor_method", Classification.INTERNAL, Mask.NONE, desk, none));
    s.add(spec("withdrawal_addresses", Classification.SECRET, Mask.LAST_4,
        EnumSet.of(SUPPORT_L2, FRAUD_ANALYST, SECURITY_ANALYST, APPROVER), EnumSet.of(FRAUD_ANALYST)));
    s.add(spec("recent_logins", Classification.SECRET, Mask.REDACTED, EnumSet.of(SUPPORT_L2, FRAUD_ANALYST, SECURITY_ANALYST),
        EnumSet.of(FRAUD_ANALYST, SECURITY_ANALYST)));
    s.add(spec("recent_transactions", Classification.SECRET, Mask.REDACTED, EnumSet.of(SUPPORT_L2, FRAUD_ANALYST),
        EnumSet.of(FRAUD_ANALYST)));
    s.add(spec("kyc_status", Classification.INTERNAL, Mask.NONE, desk, none));
    s.add(spec("support_notes", Classification.INTERNAL, Mask.NONE,
        EnumSet.of(SUPPORT_L1, SUPPORT_L2, KYC_REVIEWER, FRAUD_ANALYST, SECURITY_ANALYST), none));
    return new FieldCatalogue(s);
  }

  private static FieldSpec spec(String name, Classification c, Mask mask, Set<Role> viewers, Set<Role> revealers) {
    return new FieldSpec(new Field(name), c, mask, viewers, revealers);
  }
}
