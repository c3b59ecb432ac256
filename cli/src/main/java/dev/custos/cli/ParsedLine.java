package dev.custos.cli;

/** What a line of an import file turned out to be: a record, or the reason it cannot be one. */
sealed interface ParsedLine permits ImportRecord, ParsedLine.Rejected {
  /** The 1-based line number. */
  long line();

  /** A line that is not a valid record; {@code why} names the member, e.g. {@code fields.email: ...}, never a value. */
  record Rejected(long line, String why) implements ParsedLine {}
}
