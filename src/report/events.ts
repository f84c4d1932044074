// The ledger's event counts: the counters blocks raise (Module.eventCounter), summed by kind over a
// module tree; a snapshot of them, and the difference of two snapshots.
import type { EventCounter, Module } from "../engine/Module.js";

/** The event kinds the blocks raise (docs/model.md §4's per-event basis). */
export const EVENT_KINDS = ["cellsWritten", "stage1Columns", "stage2Columns", "controlCycles"] as const;

/** One event kind. */
export type EventKind = (typeof EVENT_KINDS)[number];

/** A count per event kind. */
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
  const kinds: readonly string[] = EVENT_KINDS;
  return modules.flatMap((m) => m.counters.filter((c) => kinds.includes(c.name)));
}

/** The counts of `counters` now, summed by kind. */
export function sumCounters(counters: readonly EventCounter[]): EventCounts {
  const out = zeroCounts();
  for (const c of counters) out[c.name as EventKind] += c.count;
  return out;
}

/** Counts of every kind summed over `modules`. */
export function countEvents(modules: readonly Module[]): EventCounts {
  return sumCounters(ledgerCounters(modules));
}

/** All kinds at zero. */
export function zeroCounts(): EventCounts {
  return { cellsWritten: 0, stage1Columns: 0, stage2Columns: 0, controlCycles: 0 };
}

/** (later − earlier) / per, kind by kind. */
export function countsBetween(earlier: EventCounts, later: EventCounts, per = 1): EventCounts {
  const out = zeroCounts();
  for (const k of EVENT_KINDS) out[k] = (later[k] - earlier[k]) / per;
  return out;
}
