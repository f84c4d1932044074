// A described process as straight-line JavaScript for the compiled schedule (scheduleSource.ts;
// api.ts, "Described processes"): reads `cur[id]` and `wcur[offset]`, writes `next[id]` and
// `wnext[offset]` with the net ids and word offsets written in, as SignalStore.write would.
import type { Description, Expr, Field, Statement } from "./Description.js";
import { Signal } from "./Signal.js";

/** How the source names the nets: word offsets of wide nets, and which nets are never put on the pending list. */
export interface NetLayout {
  readonly wideOff: Int32Array;
  /** True for a net held pending for good (CompiledSchedule.silence): a write to it is a store. */
  held(net: number): boolean;
}

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;
const maskOf = (width: number) => (width === 32 ? 0xffffffff : (1 << width) - 1);

/** The body of `d` as lines of JavaScript; its locals are `l0`, `l1`… set to 0 at its start. */
export function describedSource(d: Description, nets: NetLayout): string[] {
  const lines: string[] = [];
  if (d.nLocals > 0) lines.push(`let ${Array.from({ length: d.nLocals }, (_, i) => `l${i} = 0`).join(", ")};`);
  block(d.statements, "", nets, lines);
  return lines;
}

function block(list: readonly Statement[], indent: string, nets: NetLayout, lines: string[]): void {
  for (const s of list) {
    if (s.kind === "let") lines.push(`${indent}l${s.local.index} = ${expr(s.value, nets)};`);
    else if (s.kind === "assign") lines.push(...assign(s.target, expr(s.value, nets), nets, isComparison(s.value)).map((l) => indent + l));
    else {
      s.branches.forEach((b, i) => {
        lines.push(`${indent}${i === 0 ? "if" : "} else if"} (${condition(b.cond, nets)}) {`);
        block(b.body, indent + "  ", nets, lines);
      });
      if (s.otherwise !== null) {
        lines.push(`${indent}} else {`);
        block(s.otherwise, indent + "  ", nets, lines);
      }
      lines.push(`${indent}}`);
    }
  }
}

const isComparison = (e: Expr) => e.kind === "binary" && (e.op === "eq" || e.op === "ne" || e.op === "lt");

// A write of `value` (an unsigned 32-bit value; 0 or 1 when `bit`) to a signal, wrapped to its width, or to a field.
function assign(target: Signal | Field, value: string, nets: NetLayout, bit: boolean): string[] {
  const comment = ` // ${target instanceof Signal ? target.path : `${target.signal.path}[${target.lo + target.width - 1}:${target.lo}]`}`;
  if (target instanceof Signal) {
    const id = target.id;
    const v = target.width === 32 || bit ? value : `${value} & ${hex(maskOf(target.width))}`;
    if (nets.held(id)) return [`next[${id}] = ${v};${comment}`];
    return [`{ const v = ${v}; if (next[${id}] !== v) { next[${id}] = v; if (isPending[${id}] === 0) mark(${id}); } }${comment}`];
  }
  const id = target.signal.id;
  const base = nets.wideOff[id];
  const out = [`{ const v = ${value};${comment}`];
  for (let b = 0; b < target.width; ) {
    const bit = target.lo + b;
    const at = base + (bit >>> 5);
    const sh = bit & 31;
    const n = Math.min(32 - sh, target.width - b);
    const fieldMask = n === 32 ? 0xffffffff : ((1 << n) - 1) << sh;
    const moved = `${b === 0 ? "v" : `(v >>> ${b})`}${sh === 0 ? "" : ` << ${sh}`}`;
    const w = n === 32 ? "v" : `((wnext[${at}] & ${hex(~fieldMask)}) | (${moved} & ${hex(fieldMask)})) >>> 0`;
    const mark = nets.held(id) ? "" : ` if (isPending[${id}] === 0) mark(${id});`;
    out.push(`  { const w = ${w}; if (wnext[${at}] !== w) { wnext[${at}] = w;${mark} } }`);
    b += n;
  }
  out.push("}");
  return out;
}

// An expression used as a condition, as a boolean: comparisons stay comparisons.
function condition(e: Expr, nets: NetLayout): string {
  if (e.kind === "binary" && isComparison(e)) {
    return `${expr(e.a, nets)} ${e.op === "eq" ? "===" : e.op === "ne" ? "!==" : "<"} ${expr(e.b, nets)}`;
  }
  return `${expr(e, nets)} !== 0`;
}

// An expression as JavaScript whose value is an unsigned 32-bit integer (describedRun.binary's operators).
function expr(e: Expr, nets: NetLayout): string {
  switch (e.kind) {
    case "const": return String(e.value);
    case "signal": return `cur[${e.signal.id}]`;
    case "local": return `l${e.index}`;
    case "field": return field(e, nets);
    case "not": return `(~${expr(e.a, nets)} >>> 0)`;
    case "mux": return `(${condition(e.select, nets)} ? ${expr(e.a, nets)} : ${expr(e.b, nets)})`;
    case "binary": {
      const a = expr(e.a, nets);
      const b = expr(e.b, nets);
      switch (e.op) {
        case "add": return `((${a} + ${b}) >>> 0)`;
        case "sub": return `((${a} - ${b}) >>> 0)`;
        case "and": return `((${a} & ${b}) >>> 0)`;
        case "or": return `((${a} | ${b}) >>> 0)`;
        case "xor": return `((${a} ^ ${b}) >>> 0)`;
        case "shl": return e.b.kind === "const" ? (e.b.value >= 32 ? "0" : `((${a} << ${b}) >>> 0)`) : `shl(${a}, ${b})`;
        case "shr": return e.b.kind === "const" ? (e.b.value >= 32 ? "0" : `(${a} >>> ${b})`) : `shr(${a}, ${b})`;
        case "eq": case "ne": case "lt": return `(${condition(e, nets)} ? 1 : 0)`;
      }
    }
  }
}

// Bits lo..lo+width−1 of a wide net from its committed words, as WideVec.getBits reads them.
function field(f: Field, nets: NetLayout): string {
  const at = nets.wideOff[f.signal.id] + (f.lo >>> 5);
  const sh = f.lo & 31;
  const low = sh === 0 ? `wcur[${at}]` : `(wcur[${at}] >>> ${sh})`;
  const joined = sh + f.width > 32 ? `(${low} | (wcur[${at + 1}] << ${32 - sh}))` : low;
  if (f.width === 32) return sh === 0 ? joined : `(${joined} >>> 0)`;
  return `(${joined} & ${hex(maskOf(f.width))})`;
}
