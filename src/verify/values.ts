// How the kit shows a signal's value: integers in decimal (with a state's name when one is known),
// reals with their unit, wide buses in hex; and the signals an expression reads.
import { SignalKind } from "../engine/api.js";
import type { Real, Signal, Vec, WideVec } from "../engine/Signal.js";
import type { Term } from "./terms.js";

/** Names of the values of an encoded signal, e.g. 4 → "PHASE1" for a sequencer's state. */
export type ValueNames = ReadonlyMap<number, string>;

/** The names of a TypeScript numeric enum, e.g. `enumNames(SequencerState)`. */
export function enumNames(e: Record<string, string | number>): ValueNames {
  const names = new Map<number, string>();
  for (const [name, value] of Object.entries(e)) if (typeof value === "number") names.set(value, name);
  return names;
}

/** The current value of `s` as text: `4 (PHASE1)`, `15000 ps`, `0x1f00`. */
export function describeValue(s: Signal, names?: ValueNames): string {
  if (s.kind === SignalKind.WideVec) return `0x${(s as WideVec).getBig().toString(16)}`;
  const v = (s as Vec | Real).get();
  if (s.kind === SignalKind.Real) return s.unit === "" ? String(v) : `${v} ${s.unit}`;
  const name = names?.get(v);
  return name === undefined ? String(v) : `${v} (${name})`;
}

/** Every signal the terms read, directly or through their inputs, each once, in first-seen order. */
export function signalsOf(terms: readonly Term[]): Signal[] {
  const found = new Set<Signal>();
  const seen = new Set<Term>();
  const visit = (t: Term) => {
    if (seen.has(t)) return;
    seen.add(t);
    t.inputs.forEach(visit);
    t.signals.forEach((s) => found.add(s));
  };
  terms.forEach(visit);
  return [...found];
}

/** Runs each term's sample() once per tick, inputs first: the terms of every monitor or cover point of one module. */
export class TermSchedule {
  /** Every signal the terms read, each once: what the process sampling them declares it reads (engine api.ts). */
  readonly signals: Signal[] = [];
  private readonly order: Term[] = [];
  private readonly seen = new Set<Term>();
  private readonly seenSignals = new Set<Signal>();

  /** Adds `t` and whatever it is computed from. */
  add(t: Term): void {
    if (this.seen.has(t)) return;
    this.seen.add(t);
    t.inputs.forEach((i) => this.add(i));
    for (const s of t.signals) {
      if (this.seenSignals.has(s)) continue;
      this.seenSignals.add(s);
      this.signals.push(s);
    }
    this.order.push(t);
  }

  /** Samples every term for the current tick. */
  sample(): void {
    const order = this.order;
    for (let i = 0; i < order.length; i++) order[i].sample();
  }
}
