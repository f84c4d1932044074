// The accelerator's own protocol as monitors and cover points (docs/model.md §1 window, §3 schedule):
// phase order and lengths, one write per token, the slot pointer's wrap, pulses within T_max,
// counts within 0..16; coverage of every state and transition, slot wrap, CPC saturation, each
// signed-CPC count and each sub-tile written.
import { cyclesPerToken, PHASES, type AcceleratorConfig } from "../arch/config.js";
import { SequencerState } from "../control/TokenSequencer.js";
import type { Bit, Real, Vec, WideVec } from "../engine/Signal.js";
import { outGrid } from "../laws/quantise.js";
import type { Checker } from "./Checker.js";
import { valueBins, type Coverage } from "./Coverage.js";
import { count, fell, past, rose } from "./sampledFunctions.js";
import { eq, expr, not, sig } from "./terms.js";
import { enumNames } from "./values.js";

/** What the protocol monitors read of a controller: its state, its phase strobes, its counters and latched codes. */
export interface SequencerPorts {
  state: Vec;
  load: Bit;
  write: Bit;
  precharge1: Bit;
  phase1: Bit;
  precharge2: Bit;
  phase2: Bit;
  convert: Bit;
  accumulate: Bit;
  /** Tokens accepted so far. */
  accepted: Vec;
  qCodes: WideVec;
  kCodes: WideVec;
  vCodes: WideVec;
}

/** What the protocol monitors read of a head; an AttentionHead is one. */
export interface HeadPorts {
  seq: SequencerPorts;
  ptr: { token: Vec; slot: Vec; subTile: Vec; column: Vec };
  pwm: readonly { rwl: Bit; width: Real }[];
  subTiles: readonly {
    cpcs: readonly { pulse: Bit; width: Real; saturated: Bit }[];
    signedCpcs: readonly { sign: Bit; count: Vec }[];
  }[];
  acc: { outValid: Bit };
}

/** The sequencer's states by name. */
export const STATE_NAMES = enumNames(SequencerState);

/** The state changes of the schedule: IDLE → LOAD → … → ACCUMULATE → LOAD (back to back) or IDLE. */
export const STATE_ARCS: readonly (readonly [number, number])[] = [
  [SequencerState.IDLE, SequencerState.LOAD],
  ...PHASES.slice(1).map((_, i): [number, number] => [i + 1, i + 2]),
  [SequencerState.ACCUMULATE, SequencerState.LOAD],
  [SequencerState.ACCUMULATE, SequencerState.IDLE],
];

const strobesOf = (s: SequencerPorts): Bit[] =>
  [s.load, s.write, s.precharge1, s.phase1, s.precharge2, s.phase2, s.convert, s.accumulate];

/** Declares the protocol monitors of one head in `checker`, their names prefixed with `prefix` (e.g. "head[0]."). */
export function checkHead(checker: Checker, head: HeadPorts, c: AcceleratorConfig, prefix = ""): void {
  const { seq, ptr } = head;
  const name = (n: string) => `${prefix}${n}`;
  checker.nameValues(seq.state, STATE_NAMES);
  const legal = new Set([...STATE_ARCS, ...[...STATE_NAMES.keys()].map((s) => [s, s] as const)].map(([a, b]) => a * 16 + b));
  checker.implication(name("phase_order"), 1,
    expr("$past(state) -> state is a step of IDLE, LOAD … ACCUMULATE", [past(seq.state), seq.state], (v) => (legal.has(v[0] * 16 + v[1]) ? 1 : 0)));
  const strobes = strobesOf(seq);
  checker.implication(name("strobes_match_state"), 1, expr("each phase strobe is high exactly in its state", [seq.state, ...strobes], (v) => {
    for (let i = 0; i < 8; i++) if ((v[i + 1] !== 0) !== (v[0] === i + 1)) return 0;
    return 1;
  }));
  PHASES.forEach(([phase, field], i) => checker.eventually(name(`${phase.toLowerCase()}_length`), rose(strobes[i]), fell(strobes[i]), c[field], c[field]));
  // terms many monitors share, sampled once per tick
  const phase1 = sig(seq.phase1);
  const phase2 = sig(seq.phase2);
  const outsideConvert = not(seq.convert);
  const notConvertStart = not(rose(seq.convert));
  const outsideLoad = not(seq.load);
  checker.implication(name("no_write_in_phase1"), phase1, not(seq.write));

  // one write per token, written into slot t mod M (docs/model.md §1 sliding window)
  const written = rose(seq.write);
  const writes = count(written);
  checker.implication(name("one_write_per_token"), written, eq(writes, seq.accepted));
  checker.eventually(name("write_follows_load"), rose(seq.load), rose(seq.write), c.loadCycles, c.loadCycles);
  checker.eventually(name("output_follows_load"), rose(seq.load), rose(head.acc.outValid), cyclesPerToken(c), cyclesPerToken(c));
  checker.implication(name("token_order"), written, eq(ptr.token, expr("count - 1", [writes], (v) => v[0] - 1)));
  const { windowM: M, tile } = c;
  checker.implication(name("slot_wrap"), written, expr(`slot == token % ${M}, subTile == slot / ${tile}, column == slot % ${tile}`,
    [ptr.token, ptr.slot, ptr.subTile, ptr.column], (v) => (v[1] === v[0] % M && v[2] === Math.floor(v[1] / tile) && v[3] === v[1] % tile ? 1 : 0)));
  checker.stability(name("pointer_stable"), [ptr.token, ptr.slot, ptr.subTile, ptr.column], outsideLoad);
  checker.stability(name("codes_stable"), [seq.qCodes, seq.kCodes, seq.vCodes], outsideLoad);

  // pulses within T_max, inside their phase (docs/model.md §1 q pulses and φ, §3 PHASE 1/2)
  head.pwm.forEach((p, d) => {
    checker.pulseWidth(name(`rwl_width[${d}]`), p.rwl, c.tMaxPs);
    checker.bounds(name(`rwl_width_ps[${d}]`), p.width, 0, c.tMaxPs);
    checker.implication(name(`rwl_in_phase1[${d}]`), p.rwl, phase1);
  });
  head.subTiles.forEach((sub, b) => {
    sub.cpcs.forEach((cpc, j) => {
      checker.pulseWidth(name(`phi_width[${b}][${j}]`), cpc.pulse, c.tMaxPs);
      checker.bounds(name(`phi_width_ps[${b}][${j}]`), cpc.width, 0, c.tMaxPs);
      checker.implication(name(`phi_in_phase2[${b}][${j}]`), cpc.pulse, phase2);
    });
    // counts within 0..16, held outside CONVERT (docs/model.md §1 stage 2, §3 CONVERT)
    sub.signedCpcs.forEach((s, d) => {
      checker.bounds(name(`count_range[${b}][${d}]`), s.count, 0, outGrid(c.levelsOut).codeMax);
      checker.stability(name(`count_held[${b}][${d}]`), [s.count], outsideConvert);
      checker.stability(name(`sign_held[${b}][${d}]`), [s.sign], notConvertStart);
    });
  });
}

/** Declares the accelerator's cover points over every head in `coverage` (heads of one configuration). */
export function coverHeads(coverage: Coverage, heads: readonly HeadPorts[], c: AcceleratorConfig): void {
  const perHead = <T>(f: (h: HeadPorts) => T) => heads.map(f);
  const written = perHead((h) => rose(h.seq.write));
  coverage.fsm("sequencer.state", perHead((h) => h.seq.state), STATE_NAMES, STATE_ARCS);
  coverage.point("slot.written", perHead((h) => h.ptr.slot), [
    { name: "slot 0", values: [0] },
    { name: "slot M-1", values: [c.windowM - 1] },
    { name: "wrap M-1 -> 0", from: c.windowM - 1, to: 0 },
  ], { iff: written });
  const nSub = Math.ceil(c.windowM / c.tile);
  coverage.point("subtile.written", perHead((h) => h.ptr.subTile), valueBins(0, nSub - 1), { iff: written });
  // one operand per converter, gated by its own head's strobe
  const each = <T, U>(pick: (h: HeadPorts) => readonly T[], f: (x: T) => U, gate: (h: HeadPorts) => U) => ({
    operands: heads.flatMap((h) => pick(h).map(f)),
    iff: heads.flatMap((h) => pick(h).map(() => gate(h))),
  });
  const converting = new Map(heads.map((h) => [h, rose(h.seq.phase2)]));
  const cpcs = each((h) => h.subTiles.flatMap((s) => s.cpcs), (cpc) => sig(cpc.saturated), (h) => converting.get(h)!);
  coverage.point("cpc.saturated", cpcs.operands, [{ name: "below S_sat", values: [0] }, { name: "saturated", values: [1] }], { iff: cpcs.iff });
  const converted = new Map(heads.map((h) => [h, fell(h.seq.convert)]));
  const counts = each((h) => h.subTiles.flatMap((s) => s.signedCpcs), (s) => sig(s.count), (h) => converted.get(h)!);
  const signs = each((h) => h.subTiles.flatMap((s) => s.signedCpcs), (s) => sig(s.sign), (h) => converted.get(h)!);
  const magnitude = coverage.point("scpc.count", counts.operands, valueBins(0, outGrid(c.levelsOut).codeMax), { iff: counts.iff });
  const sign = coverage.point("scpc.sign", signs.operands, [{ name: "+", values: [0] }, { name: "-", values: [1] }], { iff: signs.iff });
  // a negative count of 0 does not exist: the sign is set only for a code below 0
  coverage.cross("scpc.sign x count", sign, magnitude, (s, m) => s === "-" && m === "0");
}
