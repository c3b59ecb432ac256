package dev.custos.approval;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request to take a sensitive action, with the approvals collected for its current content.
 * Immutable; {@link ApprovalRules} computes the next version, a store replaces a version only if
 * it is still the current one.
 *
 * <h2>Invariants (checked on construction)</h2>
 * <ul>
 *   <li>every approval is bound to the current {@link #bindingHash()} and comes from a distinct person;</li>
 *   <li>a pending request has fewer approvals than required; an approved, time-locked or executed one
 *       exactly as many: no execution without quorum, never a double count;</li>
 *   <li>approved, time-locked and executed requests have {@code approvedAt} and {@code unlocksAt}.</li>
 * </ul>
 *
 * @param id the request (and idempotency key of its execution)
 * @param spec what is asked
 * @param salt 32 lower-case hex digits, random per content, mixed into the binding hash
 * @param requester who asked
 * @param requesterPerson the human behind the requester's account
 * @param requesterTeam the requester's team, if any
 * @param conflicted people who MUST NOT approve besides the requester (e.g. the owner of the ticket behind it)
 * @param policy the policy of the action when the request was made (later configuration changes do not apply)
 * @param state where it stands
 * @param createdAt when it was made
 * @param expiresAt when a pending request expires
 * @param approvals the approvals of the current content, oldest first
 * @param approvedAt when quorum was reached
 * @param unlocksAt when the time-lock elapses
 * @param closedBy who denied or cancelled ({@code staff:<id>}, {@code customer}) or {@code system}
 * @param closedAt when it reached a final state
 * @param note the reason given when denied or cancelled
 * @param version 1 when created, one more on every change
 */
public record ApprovalRequest(RequestId id, ActionSpec spec, String salt, StaffId requester, String requesterPerson,
    Optional<String> requesterTeam, Set<String> conflicted, ActionPolicy policy, ApprovalState state, Instant createdAt,
    Instant expiresAt, List<Approval> approvals, Optional<Instant> approvedAt, Optional<Instant> unlocksAt,
    Optional<String> closedBy, Optional<Instant> closedAt, Optional<String> note, long version) {
  private static final Pattern SALT = Pattern.compile("[0-9a-f]{32}");

  public ApprovalRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(spec, "spec");
    if (salt == null || !SALT.matcher(salt).matches()) {
      throw new IllegalArgumentException("salt must be 32 lower-case hex digits");
    }
    Objects.requireNonNull(requester, "requester");
    Objects.requireNonNull(requesterPerson, "requesterPerson");
    Objects.requireNonNull(requesterTeam, "requesterTeam");
    conflicted = Set.copyOf(conflicted);
    Objects.requireNonNull(policy, "policy");
    if (policy.action() != spec.action()) {
      throw new IllegalArgumentException("the policy is for " + policy.action().wireName() + ", the request for "
          + spec.action().wireName());
    }
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (!expiresAt.isAfter(createdAt)) {
      throw new IllegalArgumentException("expiresAt must be after createdAt");
    }
    approvals = List.copyOf(approvals);
    String hash = spec.bindingHash(salt);
    Set<String> people = new HashSet<>();
    for (Approval a : approvals) {
      if (!a.bindingHash().equals(hash)) {
        throw new IllegalArgumentException("approval by " + a.staff() + " is bound to other content");
      }
      if (!people.add(a.person())) {
        throw new IllegalArgumentException("person " + a.person() + " approved twice");
      }
    }
    boolean quorate = state == ApprovalState.APPROVED || state == ApprovalState.TIME_LOCKED
        || state == ApprovalState.EXECUTED;
    if (quorate && approvals.size() != policy.required()) {
      throw new IllegalArgumentException("a " + state.wireName() + " request needs exactly " + policy.required()
          + " approvals, has " + approvals.size());
    }
    if (state == ApprovalState.PENDING && approvals.size() >= policy.required()) {
      throw new IllegalArgumentException("a pending request has fewer than " + policy.required() + " approvals");
    }
    Objects.requireNonNull(approvedAt, "approvedAt");
    Objects.requireNonNull(unlocksAt, "unlocksAt");
    if (quorate && (approvedAt.isEmpty() || unlocksAt.isEmpty())) {
      throw new IllegalArgumentException("a " + state.wireName() + " request has approvedAt and unlocksAt");
    }
    Objects.requireNonNull(closedBy, "closedBy");
    Objects.requireNonNull(closedAt, "closedAt");
    Objects.requireNonNull(note, "note");
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1");
    }
  }

  /** The SHA-256 binding the approvals to the current content ({@link ActionSpec#bindingHash}). */
  public String bindingHash() {
    return spec.bindingHash(salt);
  }

  /** The next version of this request, in {@code next} state, with these approvals and stamps. */
  ApprovalRequest next(ApprovalState next, List<Approval> approvals, Optional<Instant> approvedAt,
      Optional<Instant> unlocksAt, Optional<String> closedBy, Optional<Instant> closedAt, Optional<String> note) {
    return new ApprovalRequest(id, spec, salt, requester, requesterPerson, requesterTeam, conflicted, policy, next,
        createdAt, expiresAt, approvals, approvedAt, unlocksAt, closedBy, closedAt, note, version + 1);
  }

  /** The next version with new content: approvals voided. */
  ApprovalRequest edited(ActionSpec newSpec, String newSalt) {
    return new ApprovalRequest(id, newSpec, newSalt, requester, requesterPerson, requesterTeam, conflicted, policy,
        state, createdAt, expiresAt, List.of(), approvedAt, unlocksAt, closedBy, closedAt, note, version + 1);
  }
}
