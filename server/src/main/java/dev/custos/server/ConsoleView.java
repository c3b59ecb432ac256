package dev.custos.server;

import java.util.List;

/**
 * What the console's templates ({@code src/main/jte}) are given: plain values, already formatted,
 * escaped by the templates. Nothing here decides anything; the routes fill them from the same
 * services the API calls.
 */
final class ConsoleView {
  private ConsoleView() {}

  /** The frame of every page: who is looking, the navigation for their roles and the form token. */
  record Chrome(String title, String staff, String displayName, String roles, String csrf, String code,
      List<NavItem> nav, boolean watermarked, String notice) {}

  /** One navigation entry; {@code key} is its access key. */
  record NavItem(String href, String label, String key, boolean current) {}

  record TicketRow(String id, String channel, String category, String status, String updatedAt) {}

  record Queue(List<TicketRow> tickets) {}

  /**
   * One field of a customer as the viewer may see it; {@code revealable} only decides whether the page
   * offers a reveal form (the broker decides whether a reveal happens).
   */
  record FieldRow(String name, String label, String value, String mask, boolean masked, boolean revealable) {}

  /** The ticket's customer, masked by role; {@code stepUpFresh} tells the page whether a reveal needs a step-up first. */
  record Customer(TicketRow ticket, long ledgerIndex, List<FieldRow> fields, boolean stepUpFresh, long mfaWindowSeconds,
      String message) {}

  record Revealed(TicketRow ticket, long ledgerIndex, List<FieldRow> fields) {}

  /** A refusal, a problem or the end of a session, said plainly. */
  record Notice(String heading, String message, String detail, long ledgerIndex, String back, String backLabel) {}

  record Match(List<FieldRow> fields) {}

  record Search(String key, boolean searched, long ledgerIndex, List<Match> matches, String message) {}

  record Signal(String name, String value, String own, String peers, String surprise) {}

  record AlertRow(String id, String staff, String raisedAt, String measure, String risk, String explanation,
      List<Signal> signals, String status, String assignee, String verdict, long ledgerIndex, boolean staffSuspended) {}

  record Alerts(List<AlertRow> alerts, String filter, boolean mayWork, List<String> analysts) {}

  record RiskRow(String staff, String risk, String measure, String explanation, String status) {}

  record Board(String chart, List<RiskRow> top, int openAlerts, String updatedAt, List<String> legend) {}

  record ApprovalRow(String id, String action, String customer, String parameters, String requester, String state,
      int required, String approverRoles, String approvals, String bindingHash, String createdAt, String expiresAt,
      boolean mayDecide) {}

  record Approvals(List<ApprovalRow> requests, boolean everything, boolean stepUpFresh) {}

  record BreakGlassRow(long id, String staff, String customer, String reason, String at) {}

  record BreakGlass(List<BreakGlassRow> pending) {}

  record StaffRow(String id, String displayName, String roles, String status, String statusReason) {}

  record People(List<StaffRow> staff, boolean stepUpFresh) {}

  record IncidentRow(String id, String title, String status, String owner, String suspects, String window,
      String openedAt) {}

  record Incidents(List<IncidentRow> incidents) {}

  record Witness(String url, String cosignedSize, String lastCosignedAt, String lastProblem) {}

  record LedgerHealth(String origin, long size, String rootHash, long durableSize, int cosignatures, int witnessesConfigured,
      List<Witness> witnesses, String verifierKey, String lastVerify) {}
}
