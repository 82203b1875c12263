// Every size limit on a criteria set and every work budget of scoring, hints and the verifier, in
// one place. They bound what one accepted set can cost anyone, because a published set can be
// scored by anyone without a key (POST /v1/score, finding H3 of issue 11).
//
// How they were chosen (this 2-core machine, shared with other jobs, 2026-12-04; the script is
// test/hostile/measure-limits.ts, run by hand with `node --import tsx`, never by CI; the range is
// quiet machine … busy machine):
//   · shipped sets (criteria/*) and test fixtures: at most 31 criteria, 44 facts, 4 facts and
//     ~60 nodes in one rule, 339 rule nodes in a set. Every limit below is ≥ 8× that, and
//     test/scoring/limits.test.ts keeps every shipped set within a quarter of each.
//   · the worst sets the limits accept (test/hostile/worst-sets.ts): "wide", 147 rules reading 64
//     yes/no facts each (9,996 nodes), and "many", 400 ratio criteria over 500 facts. Scored with
//     hints on the evidence that makes hints work hardest: 3–66 ms (the hint budget is most of
//     it; without the budget, "wide" takes 0.12–0.35 s). Their tables, also filled to the text
//     maxima (1.8 MB): import 0.1–0.6 s, verify 0.35–1.2 s.
//   · the H3 table of the review filled to the 2 MB body limit (20 criteria of 1,880 facts) is
//     refused by MAX_RULE_NODES in 0.13–0.6 s (CSV parsing, before any rule runs).
// Change a number here only after re-running that script: the tests in test/hostile/ hold the
// targets (hints ≤ 100 ms, verify or import ≤ 5 s) with generous bounds.

/** Nodes of one rule (operators, var, literals; counted as the analyzer walks it). */
export const MAX_RULE_NODES = 500
/** Nesting depth of one rule. */
export const MAX_RULE_DEPTH = 32
/** Distinct facts (and ref.* names) one rule reads: hints re-run the rule once per fact value. */
export const MAX_FACTS_PER_RULE = 64
/** Rule nodes of all the set's criteria together. */
export const MAX_SET_NODES = 10_000
/** Criteria of a set, children included. */
export const MAX_CRITERIA_PER_SET = 400
/** Facts a set declares (facts.use + facts.define). */
export const MAX_FACTS_PER_SET = 500
/** Values of one enum fact: hints try each value (shipped sets: at most 3). */
export const MAX_ENUM_VALUES = 50

/**
 * Hints: rule nodes one scoring request may spend re-running rules on changed evidence (each
 * re-run costs its rule's node count). Past it, the remaining criteria get no hint and the
 * group's nextLevel says `truncated: true`. Sets within the limits above rarely need more than
 * a tenth of it (moet-4725 with empty evidence: ≈ 3,000).
 */
export const HINT_BUDGET_NODES = 50_000

/**
 * Verifier: rule nodes it may spend running a set's rules over sample evidence, both backends
 * together. A set whose full sampling (≈ 813 samples per rule) would cost more gets fewer random
 * samples per rule (never fewer than VERIFY_MIN_SAMPLES); boundary samples come first.
 */
export const VERIFY_BUDGET_NODES = 4_000_000
export const VERIFY_MIN_SAMPLES = 64

/** Verifier reports kept by content hash (src/verify/cache.ts). */
export const VERIFY_CACHE_ENTRIES = 64
