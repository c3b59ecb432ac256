package dev.custos.access;

/**
 * Called by {@link AccessPolicy} as it enters each rule, with the rule's id. Production uses
 * {@link #NONE}; tests use a probe that throws inside a chosen rule to prove that any error while
 * deciding is a deny.
 */
@FunctionalInterface
interface RuleProbe {
  RuleProbe NONE = rule -> {};

  void enter(String rule);
}
