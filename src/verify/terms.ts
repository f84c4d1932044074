// Sampled expressions over signals, the operands of monitors and cover points (SystemVerilog's
// boolean layer and its sampled-value functions $past, $rose, $fell, $stable, $changed).
import { ElaborationError } from "../errors.js";
import { SignalKind } from "../engine/api.js";
import type { Bit, Real, Signal, Vec } from "../engine/Signal.js";

/**
 * An expression sampled once per clock tick: `value` (a number; booleans are 1 and 0) is set by
 * `sample()`, which runs after the inputs' own sample() of the same tick. Stateful terms ($past,
 * $rose …) keep what they need of earlier ticks; the first tick has no earlier one, so it sees no
 * edge and no change, and $past gives the first value.
 */
export abstract class Term {
  /** Value at the current tick. */
  value = 0;

  constructor(
    /** The expression as SVA writes it, e.g. `$rose(load)`; shown in failure messages. */
    readonly text: string,
    /** Terms this one is computed from; sampled before it. */
    readonly inputs: readonly Term[],
    /** Signals read directly (not through inputs). */
    readonly signals: readonly Signal[],
  ) {}

  /** Computes `value` for the current tick. */
  abstract sample(): void;
}

/** A narrow signal: a bit, a vector of up to 32 bits or a real. */
export type Scalar = Bit | Vec | Real;

/** What a term constructor accepts: a term, a narrow signal, or a constant. */
export type Operand = Term | Scalar | number;

class SignalTerm extends Term {
  constructor(private readonly signal: Scalar) {
    super(signal.name, [], [signal]);
  }

  sample(): void {
    this.value = this.signal.get();
  }
}

class Constant extends Term {
  constructor(v: number) {
    super(String(v), [], []);
    this.value = v;
  }

  sample(): void {}
}

/** The value of a narrow signal at each tick. */
export function sig(signal: Scalar): Term {
  if (signal.kind === SignalKind.WideVec) {
    throw new ElaborationError(`${(signal as Signal).path}: a bus wider than 32 bits has no numeric value; use stable() or changed() on it`);
  }
  return new SignalTerm(signal);
}

/** A constant. */
export function konst(v: number): Term {
  return new Constant(v);
}

/** Turns an operand into a term. */
export function term(x: Operand): Term {
  if (x instanceof Term) return x;
  return typeof x === "number" ? konst(x) : sig(x);
}

/** A term computed from others by `compute(values)`; `values[i]` is input i's value this tick. */
class Derived extends Term {
  private readonly values: Float64Array;

  constructor(text: string, inputs: readonly Term[], private readonly compute: (values: Float64Array) => number) {
    super(text, inputs, []);
    this.values = new Float64Array(inputs.length);
  }

  sample(): void {
    const inputs = this.inputs;
    for (let i = 0; i < inputs.length; i++) this.values[i] = inputs[i].value;
    this.value = this.compute(this.values);
  }
}

/**
 * Any function of other terms, e.g. `expr("token % M", [sig(ptr.token)], ([t]) => t % M)`: the
 * escape hatch for arithmetic the other constructors do not offer. `compute` must not keep state.
 */
export function expr(text: string, inputs: readonly Operand[], compute: (values: Float64Array) => number): Term {
  return new Derived(text, inputs.map(term), compute);
}

const wrap = (t: Term) => (t.inputs.length > 1 ? `(${t.text})` : t.text);

/** `!a`. */
export function not(a: Operand): Term {
  const t = term(a);
  return new Derived(`!${wrap(t)}`, [t], (v) => (v[0] === 0 ? 1 : 0));
}

/** `a && b && …`. */
export function and(...operands: Operand[]): Term {
  const ts = operands.map(term);
  return new Derived(ts.map(wrap).join(" && "), ts, (v) => {
    for (let i = 0; i < v.length; i++) if (v[i] === 0) return 0;
    return 1;
  });
}

/** `a || b || …`. */
export function or(...operands: Operand[]): Term {
  const ts = operands.map(term);
  return new Derived(ts.map(wrap).join(" || "), ts, (v) => {
    for (let i = 0; i < v.length; i++) if (v[i] !== 0) return 1;
    return 0;
  });
}

function compare(op: string, test: (a: number, b: number) => boolean) {
  return (a: Operand, b: Operand): Term => {
    const ta = term(a);
    const tb = term(b);
    return new Derived(`${wrap(ta)} ${op} ${wrap(tb)}`, [ta, tb], (v) => (test(v[0], v[1]) ? 1 : 0));
  };
}

/** `a == b`. */
export const eq = compare("==", (a, b) => a === b);
/** `a != b`. */
export const ne = compare("!=", (a, b) => a !== b);
/** `a < b`. */
export const lt = compare("<", (a, b) => a < b);
/** `a <= b`. */
export const le = compare("<=", (a, b) => a <= b);
/** `a > b`. */
export const gt = compare(">", (a, b) => a > b);
/** `a >= b`. */
export const ge = compare(">=", (a, b) => a >= b);

/** `lo <= a && a <= hi` (SVA's `a inside {[lo:hi]}`). */
export function inRange(a: Operand, lo: number, hi: number): Term {
  const t = term(a);
  return new Derived(`${wrap(t)} inside [${lo}:${hi}]`, [t], (v) => (v[0] >= lo && v[0] <= hi ? 1 : 0));
}
