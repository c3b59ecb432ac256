package dev.custos.server;

import dev.custos.access.BreakGlassReviews;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.access.StaffSubject;
import dev.custos.approval.ApprovalDispatch;
import dev.custos.approval.ApprovalRequest;
import dev.custos.approval.SensitiveAction;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffAdmin;
import dev.custos.identity.StaffDirectory;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an approved request is carried out: the exchange's backend (through {@code backend}, the
 * signed webhook) for actions on customers' accounts and funds, and Custos itself for its own
 * actions ({@link SensitiveAction.Executor#CUSTOS}):
 *
 * <ul>
 *   <li>{@code role-grant} (parameters {@code staff}, {@code role}): the role is added to the local
 *       account, recorded as a {@code staff.roles-changed} authentication event;</li>
 *   <li>{@code containment-lift} ({@code staff}, {@code reason}): the person is restored, the last
 *       approver standing as the deciding security analyst;</li>
 *   <li>{@code break-glass-review} ({@code use}, {@code verdict} {@code justified|unjustified},
 *       {@code note}): the requester's verdict is recorded on the use;</li>
 *   <li>{@code decoy-list-read}: nothing to change; the executed request is what lets its requester
 *       read the decoy list ({@link #decoyReadAllowed}).</li>
 * </ul>
 *
 * Every execution is idempotent (the sweep may hand a request over again after a crash, or from two
 * instances): a role already held, a person already restored, a use already reviewed with this
 * request count as done. Parameters are checked when the request is made
 * ({@link #checkParameters}), so an approved request does not fail on a typo.
 */
final class ApprovalExecution implements ApprovalDispatch {
  private static final Logger log = LoggerFactory.getLogger(ApprovalExecution.class);

  private final ApprovalDispatch backend;
  private final StaffAdmin admin;
  private final StaffDirectory directory;
  private final BreakGlassReviews reviews;

  ApprovalExecution(ApprovalDispatch backend, StaffAdmin admin, StaffDirectory directory, BreakGlassReviews reviews) {
    this.backend = backend;
    this.admin = admin;
    this.directory = directory;
    this.reviews = reviews;
  }

  @Override
  public void requested(ApprovalRequest request) {
    backend.requested(request);
  }

  @Override
  public boolean noticeToCustomer(ApprovalRequest request) {
    return backend.noticeToCustomer(request);
  }

  @Override
  public Handoff execute(ApprovalRequest r) {
    if (r.spec().action().executor() == SensitiveAction.Executor.BACKEND) {
      return backend.execute(r);
    }
    try {
      return own(r);
    } catch (RuntimeException e) {
      log.error("approval {} ({}) could not be executed: {}", r.id().value(), r.spec().action().wireName(),
          Custos.rootMessage(e));
      return new Handoff.Failed(e.getClass().getSimpleName());
    }
  }

  private Handoff own(ApprovalRequest r) {
    Map<String, String> p = r.spec().parameters();
    String actor = "approval:" + r.id().value();
    return switch (r.spec().action()) {
      case ROLE_GRANT -> switch (admin.grantRole(new StaffId(p.get("staff")), Role.parse(p.get("role")), actor)) {
        case StaffAdmin.Outcome.Done<StaffAccount> d -> new Handoff.Accepted();
        case StaffAdmin.Outcome.Refused<StaffAccount> x -> new Handoff.Failed(x.message());
        case StaffAdmin.Outcome.NotFound<StaffAccount> x -> new Handoff.Failed("no staff account " + x.id());
      };
      case CONTAINMENT_LIFT -> {
        StaffId staff = new StaffId(p.get("staff"));
        Optional<StaffAccount> account = directory.find(staff);
        if (account.isPresent() && account.get().isActive()) {
          yield new Handoff.Accepted(); // restored already (by this request's earlier hand-off, or otherwise)
        }
        StaffId analyst = r.approvals().getLast().staff();
        yield switch (admin.restore(staff, p.get("reason"), analyst, actor)) {
          case StaffAdmin.Outcome.Done<StaffAccount> d -> new Handoff.Accepted();
          case StaffAdmin.Outcome.Refused<StaffAccount> x -> new Handoff.Failed(x.message());
          case StaffAdmin.Outcome.NotFound<StaffAccount> x -> new Handoff.Failed("no staff account " + x.id());
        };
      }
      case BREAK_GLASS_REVIEW -> {
        long use = Long.parseLong(p.get("use"));
        Optional<StaffAccount> reviewer = directory.find(r.requester());
        if (reviewer.isEmpty()) {
          yield new Handoff.Failed("the requester " + r.requester() + " no longer exists");
        }
        StaffAccount a = reviewer.get();
        StaffSubject subject = new StaffSubject(a.id(), a.roles(), a.isActive(), a.team(), a.shift());
        yield switch (reviews.review(subject, use, p.get("verdict").equals("justified"), p.get("note"))) {
          case BreakGlassReviews.Result.Done d -> new Handoff.Accepted();
          case BreakGlassReviews.Result.Refused x -> alreadyReviewedBy(use, r.requester())
              ? new Handoff.Accepted() : new Handoff.Failed(x.why());
          case BreakGlassReviews.Result.NotFound x -> new Handoff.Failed("no break-glass use " + use);
          case BreakGlassReviews.Result.Unrecorded x -> new Handoff.Accepted(); // the verdict stands; the server log names it
        };
      }
      case DECOY_LIST_READ -> new Handoff.Accepted();
      default -> new Handoff.Failed(r.spec().action().wireName() + " is not Custos's own action");
    };
  }

  /** How long an executed {@code decoy-list-read} request lets its requester read the decoy list. */
  static final java.time.Duration DECOY_READ_WINDOW = java.time.Duration.ofHours(1);

  /**
   * Whether {@code staff} may read the decoy list now: a {@code decoy-list-read} request of theirs
   * was executed (approved by others, as the catalogue demands) within {@link #DECOY_READ_WINDOW}.
   */
  static boolean decoyReadAllowed(dev.custos.approval.ApprovalDesk desk, StaffId staff, java.time.Instant now) {
    return desk.list(Optional.of(dev.custos.approval.ApprovalState.EXECUTED), Optional.of(staff), 200).stream()
        .anyMatch(r -> r.spec().action() == SensitiveAction.DECOY_LIST_READ && r.closedAt().isPresent()
            && !r.closedAt().get().isBefore(now.minus(DECOY_READ_WINDOW)));
  }

  private boolean alreadyReviewedBy(long use, StaffId reviewer) {
    return reviews.find(use).flatMap(v -> v.verdict()).map(v -> v.reviewer().equals(reviewer)).orElse(false);
  }

  /**
   * Why the parameters of a request for one of Custos's own actions cannot be executed, naming the
   * parameter; empty when they can (and always for the backend's actions, which the backend checks).
   */
  static Optional<String[]> checkParameters(SensitiveAction action, Map<String, String> p) {
    try {
      switch (action) {
        case ROLE_GRANT -> {
          StaffId.parse(require(p, "staff"));
          Role.parse(require(p, "role"));
        }
        case CONTAINMENT_LIFT -> {
          StaffId.parse(require(p, "staff"));
          if (require(p, "reason").strip().length() < 10) {
            return Optional.of(new String[] {"parameters.reason", "reason must say why, at least 10 characters"});
          }
        }
        case BREAK_GLASS_REVIEW -> {
          if (!require(p, "use").matches("[1-9][0-9]{0,17}")) {
            return Optional.of(new String[] {"parameters.use", "use must be the id of a break-glass use"});
          }
          if (!require(p, "verdict").matches("justified|unjustified")) {
            return Optional.of(new String[] {"parameters.verdict", "verdict must be justified or unjustified"});
          }
          if (require(p, "note").strip().length() < 10) {
            return Optional.of(new String[] {"parameters.note", "note must say what was checked, at least 10 characters"});
          }
        }
        default -> { }
      }
      return Optional.empty();
    } catch (MissingParameter e) {
      return Optional.of(new String[] {"parameters." + e.getMessage(), e.getMessage() + " is required for "
          + action.wireName()});
    } catch (IllegalArgumentException e) {
      return Optional.of(new String[] {"parameters", e.getMessage()});
    }
  }

  private static String require(Map<String, String> p, String name) {
    String v = p.get(name);
    if (v == null) {
      throw new MissingParameter(name);
    }
    return v;
  }

  private static final class MissingParameter extends RuntimeException {
    MissingParameter(String name) {
      super(name, null, false, false);
    }
  }
}
