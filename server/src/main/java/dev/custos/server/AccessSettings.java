package dev.custos.server;

import dev.custos.access.PolicySettings;
import dev.custos.access.QuotaSettings;
import dev.custos.vault.FieldCatalogue;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The configured customer-data policy: the field catalogue (the exchange default or a file), the
 * access policy's settings (reveal MFA window, break-glass roles) and the guardrail quotas. Built
 * and checked together by {@link ConfigLoader}, so a catalogue that lacks a field the policy needs
 * is a configuration error, not a failure at the first request.
 *
 * @param catalogueFile the catalogue file, or empty for {@link FieldCatalogue#exchangeDefault()}
 * @param catalogue the catalogue in force
 * @param policy the access policy's settings
 * @param quotas the guardrails' limits
 */
public record AccessSettings(Optional<Path> catalogueFile, FieldCatalogue catalogue, PolicySettings policy,
    QuotaSettings quotas) {
  public AccessSettings {
    Objects.requireNonNull(catalogueFile, "catalogueFile");
    Objects.requireNonNull(catalogue, "catalogue");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(quotas, "quotas");
  }

  /** The defaults: the exchange catalogue, default policy settings and quotas. */
  public static AccessSettings defaults() {
    return new AccessSettings(Optional.empty(), FieldCatalogue.exchangeDefault(), PolicySettings.defaults(),
        QuotaSettings.defaults());
  }
}
