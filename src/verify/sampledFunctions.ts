// The sampled-value functions of SystemVerilog (IEEE 1800 §16.9.3): $past, $rose, $fell, $changed,
// $stable (also of buses wider than 32 bits), and a running count, as stateful terms.
import { SignalKind } from "../engine/api.js";
import type { Signal, WideVec } from "../engine/Signal.js";
import { Term, term, type Operand, type Scalar } from "./terms.js";

class Past extends Term {
  private readonly ring: Float64Array;
  private ticks = 0;

  constructor(private readonly of: Term, private readonly depth: number) {
    super(`$past(${of.text}${depth === 1 ? "" : `, ${depth}`})`, [of], []);
    this.ring = new Float64Array(depth);
  }

  sample(): void {
    const slot = this.ticks % this.depth;
    // before `depth` ticks have passed there is no such past: the first value stands in for it
    if (this.ticks === 0) this.ring.fill(this.of.value);
    this.value = this.ring[slot];
    this.ring[slot] = this.of.value;
    this.ticks++;
  }
}

/** `$past(a, depth)`: the value `depth` ticks ago (the first value until then). */
export function past(a: Operand, depth = 1): Term {
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`$past depth ${depth} is not a whole number ≥ 1`);
  return new Past(term(a), depth);
}

const ROSE = 0;
const FELL = 1;
const CHANGED = 2;

class SampledEdge extends Term {
  private previous = 0;
  private first = true;

  constructor(name: string, private readonly of: Term, private readonly which: number) {
    super(`${name}(${of.text})`, [of], []);
  }

  sample(): void {
    const v = this.of.value;
    const before = this.first ? v : this.previous;
    this.first = false;
    this.previous = v;
    if (this.which === ROSE) this.value = before === 0 && v !== 0 ? 1 : 0;
    else if (this.which === FELL) this.value = before !== 0 && v === 0 ? 1 : 0;
    else this.value = before !== v ? 1 : 0;
  }
}

/** `$rose(a)`: a is true now and was false at the previous tick. */
export function rose(a: Operand): Term {
  return new SampledEdge("$rose", term(a), ROSE);
}

/** `$fell(a)`: a is false now and was true at the previous tick. */
export function fell(a: Operand): Term {
  return new SampledEdge("$fell", term(a), FELL);
}

/** `$changed(a)`: a differs from its value at the previous tick. */
export function changed(a: Operand): Term {
  return new SampledEdge("$changed", term(a), CHANGED);
}

/** `$stable(s1, s2, …)` over signals of any kind and width: none differs from the previous tick. */
class Stable extends Term {
  // each signal's value at the previous tick, one number per narrow signal or 32-bit word
  private readonly last: Float64Array;
  private first = true;

  constructor(signals: readonly Signal[]) {
    super(`$stable(${signals.map((s) => s.name).join(", ")})`, [], signals);
    this.last = new Float64Array(signals.reduce((n, s) => n + words(s), 0));
  }

  sample(): void {
    let same = 1;
    let k = 0;
    for (const s of this.signals) {
      if (s.kind === SignalKind.WideVec) {
        const w = s as WideVec;
        for (let i = 0; i < w.words; i++, k++) {
          const v = w.getWord(i);
          if (v !== this.last[k]) same = 0;
          this.last[k] = v;
        }
      } else {
        const v = (s as Scalar).get();
        if (v !== this.last[k]) same = 0;
        this.last[k++] = v;
      }
    }
    this.value = this.first ? 1 : same;
    this.first = false;
  }
}

function words(s: Signal): number {
  return s.kind === SignalKind.WideVec ? (s as WideVec).words : 1;
}

/** `$stable(signals)`: no signal (of any width) changed since the previous tick. */
export function stable(...signals: Signal[]): Term {
  return new Stable(signals);
}

class Count extends Term {
  constructor(private readonly of: Term) {
    super(`count(${of.text})`, [of], []);
  }

  sample(): void {
    if (this.of.value !== 0) this.value++;
  }
}

/** The number of ticks so far, this one included, at which `a` held. */
export function count(a: Operand): Term {
  return new Count(term(a));
}
