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

  /** A name with a count (a data category, a jurisdiction, a notification state). */
  record Count(String name, int count) {}

  /** One step of an incident's timeline with the ledger entry that recorded it. */
  record StepRow(String at, String by, String event, String detail, String text, long ledgerIndex) {}

  /** One customer of an incident's scope: id (or "unresolved"), how each field was shown, when, by whom, how often. */
  record ExposureRow(String customer, String jurisdiction, String fields, String first, String last, String staff,
      int accesses) {}

  /**
   * One incident: its head, the forms it offers ({@code next} statuses, {@code analysts} for the owner),
   * its scope (read and recorded as {@code scope.read} to show this page), the chart of customers by
   * data category (SVG made by {@link CategoryChart}) and the notification counts.
   */
  record IncidentDetail(IncidentRow head, String notes, long version, List<String> next, List<String> analysts,
      List<StepRow> timeline, int customers, int unresolved, long accesses, long coveredSize, List<ExposureRow> exposures,
      String chart, List<Count> byCategory, List<Count> byJurisdiction, List<Count> notifications, int notificationsTotal,
      boolean notifying, boolean notifierOn) {}

  /** A ranked staff member or session of an attribution, with what explains the rank. */
  record CandidateRow(int rank, String staff, String session, int explained, String explainedLines, int accessedOnly,
      long volume, String chance, boolean certain, List<String> evidence) {}

  /** An attribution's answer for the console (the same document {@code POST /v1/incidents/{id}/attribute} answers). */
  record AttributionView(String incident, int records, int matched, int decoys, List<String> unresolved, long population,
      List<CandidateRow> staff, List<CandidateRow> sessions, long ledgerIndex) {}

  record Witness(String url, String cosignedSize, String lastCosignedAt, String lastProblem) {}

  record LedgerHealth(String origin, long size, String rootHash, long durableSize, int cosignatures, int witnessesConfigured,
      List<Witness> witnesses, String verifierKey, LastVerify lastVerify) {}

  /** The background verify's last run ({@link LedgerCheck}); {@code ran} false until the first run finished. */
  record LastVerify(boolean ran, String at, long size, boolean ok, String problem, long tookMillis) {}
}
