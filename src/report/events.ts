// The ledger's event counts: the counters blocks raise (Module.eventCounter), summed by kind over a
// module tree; a snapshot of them, and the difference of two snapshots; and the quantities the
// ledger derives per token beside them.
import type { Module } from "../engine/Module.js";
import type { EventCounter } from "../engine/Process.js";

/** The event kinds the blocks raise (docs/model.md §4's per-event basis). */
export const COUNTED_KINDS = ["cellsWritten", "stage1Columns", "stage2Columns", "controlCycles"] as const;

/**
 * Quantities the ledger derives per token instead: every PWM driver pulses and every signed CPC
 * converts once per token (docs/model.md §3: PHASE 1 and CONVERT strobe all of them), so these are
 * the blocks counted in the built design; and the token's simulated time in ns (for leakage). The
 * blocks raise no counter for the first two yet; when they do, these become counted kinds.
 */
export const DERIVED_KINDS = ["pwmPulses", "signedConversions", "tokenNs"] as const;

/** Every quantity the energy laws are priced per. */
export const EVENT_KINDS = [...COUNTED_KINDS, ...DERIVED_KINDS] as const;

/** One counted kind. */
export type CountedKind = (typeof COUNTED_KINDS)[number];
/** One kind the laws are priced per. */
export type EventKind = (typeof EVENT_KINDS)[number];

/** A count per counted kind. */
export type CountedEvents = Record<CountedKind, number>;
/** A count (or ns) per kind the laws are priced per. */
export type EventCounts = Record<EventKind, number>;

/** Every module of the tree under `root`, root first. */
export function modulesUnder(root: Module): Module[] {
  const out: Module[] = [];
  const walk = (m: Module) => {
    out.push(m);
    m.children.forEach(walk);
  };
  walk(root);
  return out;
}

/** The counters of `modules` that belong to a ledger kind; other counters are left out. */
export function ledgerCounters(modules: readonly Module[]): EventCounter[] {
  const kinds: readonly string[] = COUNTED_KINDS;
  return modules.flatMap((m) => m.counters.filter((c) => kinds.includes(c.name)));
}

/** The counts of `counters` now, summed by kind. */
export function sumCounters(counters: readonly EventCounter[]): CountedEvents {
  const out: CountedEvents = { cellsWritten: 0, stage1Columns: 0, stage2Columns: 0, controlCycles: 0 };
  for (const c of counters) out[c.name as CountedKind] += c.count;
  return out;
}

/** Counts of every kind summed over `modules`. */
export function countEvents(modules: readonly Module[]): CountedEvents {
  return sumCounters(ledgerCounters(modules));
}

/** (later − earlier) / per, kind by kind. */
export function countsBetween(earlier: CountedEvents, later: CountedEvents, per = 1): CountedEvents {
  const out = sumCounters([]);
  for (const k of COUNTED_KINDS) out[k] = (later[k] - earlier[k]) / per;
  return out;
}
