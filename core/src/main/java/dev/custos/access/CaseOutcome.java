package dev.custos.access;

import java.util.Objects;

/** What a change of a case did: the case after it, or why it was refused (nothing changed). */
public sealed interface CaseOutcome permits CaseOutcome.Done, CaseOutcome.Refused {
  record Done(Case kase) implements CaseOutcome {
    public Done {
      Objects.requireNonNull(kase, "case");
    }
  }

  record Refused(String reason) implements CaseOutcome {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
