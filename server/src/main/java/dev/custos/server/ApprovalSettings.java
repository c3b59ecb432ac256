package dev.custos.server;

import dev.custos.approval.ApprovalPolicyFile;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How sensitive actions are approved and withdrawals decided, and where approval events go: the
 * approval catalogue and withdrawal rules (the defaults with the overrides of {@code policyFile}),
 * and the exchange backend's signed webhook. See docs/design/approvals.md.
 *
 * @param policyFile the file of overrides, if one is configured
 * @param policy the catalogue and the withdrawal rules in force
 * @param webhookUrl where approval events are POSTed (present exactly when the secret file is)
 * @param webhookSecretFile the file holding the webhook's HMAC secret
 */
public record ApprovalSettings(Optional<Path> policyFile, ApprovalPolicyFile policy, Optional<URI> webhookUrl,
    Optional<Path> webhookSecretFile) {
  public ApprovalSettings {
    Objects.requireNonNull(policyFile, "policyFile");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(webhookUrl, "webhookUrl");
    Objects.requireNonNull(webhookSecretFile, "webhookSecretFile");
    if (webhookUrl.isPresent() != webhookSecretFile.isPresent()) {
      throw new IllegalArgumentException("a webhook needs both its URL and its secret file");
    }
  }

  /** The defaults and no webhook. */
  public static ApprovalSettings defaults() {
    return new ApprovalSettings(Optional.empty(), ApprovalPolicyFile.defaults(), Optional.empty(), Optional.empty());
  }
}
