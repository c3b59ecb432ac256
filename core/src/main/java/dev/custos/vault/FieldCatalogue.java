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
