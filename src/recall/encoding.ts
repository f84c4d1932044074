// The associative-recall encoding, derived from the device law (docs/recall.md): keys as 0 V / 0.9 V
// patterns of a chosen weight, queries as full pulses on a key's ones, values as DAC levels decoded
// from the output count by a codebook; and, from the same law, the distance at which retention
// makes each value level's count stop decoding (the break-even distance).
import { cyclesPerToken, type AcceleratorConfig } from "../arch/config.js";
import type { ChipSpec } from "../chipSpec.js";
import { ConfigError } from "../errors.js";
import { gDecayed, retention, ZERO_POINT_V } from "../laws/deviceLaw.js";
import { cpcFraction, retentionInTime } from "../laws/nonideal.js";
import { gridCode, kvGrid, outGrid, qGrid } from "../laws/quantise.js";
import type { BreakEven, RecallEncoding, RecallPlan } from "./api.js";

/** (ours) Default distances for a window of M slots: powers of two below M, then M − 1 (the last slot kept), M (overwritten) and 2M. */
export function defaultDistances(windowM: number): number[] {
  const d = new Set<number>();
  for (let n = 1; n < windowM; n *= 2) d.add(n);
  if (windowM > 1) d.add(windowM - 1);
  d.add(windowM);
  d.add(2 * windowM);
  return [...d].sort((a, b) => a - b);
}

/**
 * The value levels nearest to `x` in `codebook`: one index when the decoding is clear, several on a
 * tie (or when levels share a count). The decoder's rule, used alike for the break-even distances.
 */
export function nearestLevels(x: number, codebook: readonly number[]): number[] {
  let best = Infinity;
  let found: number[] = [];
  for (let l = 0; l < codebook.length; l++) {
    const distance = Math.abs(x - codebook[l]);
    if (distance < best) {
      best = distance;
      found = [l];
    } else if (distance === best) found.push(l);
  }
  return found;
}

/** The stored voltage's read current, µA per unit pulse, after retention δ (docs/model.md §1). */
function current(config: AcceleratorConfig, volts: number, delta: number): number {
  return gDecayed(volts - ZERO_POINT_V, delta, config.nonlinearity);
}

/** What the law makes of `plan` on `config`; throws ConfigError naming the recall field that cannot work. */
export function recallEncoding(config: AcceleratorConfig, plan: RecallPlan, chip: ChipSpec): RecallEncoding {
  const { D, sSat } = config;
  const gq = qGrid(config.levelsQ);
  const gkv = kvGrid(config.levelsKv);
  const gout = outGrid(config.levelsOut);
  const pulse = gq.step * (config.levelsQ - 1); // a key's one is read by a full pulse
  const highV = gkv.step * (config.levelsKv - 1); // 0.9 V: g ≈ +10.31 µA
  const lowV = 0; // 0 V: g ≈ −10.33 µA (0.45 V, where g(0) = 0.52 µA, is not a level)
  const gHighUa = current(config, highV, 1);
  const gLowUa = current(config, lowV, 1);
  const fewestSaturating = Math.ceil(sSat / (pulse * gHighUa));
  const keyWeight = plan.keyWeight ?? Math.min(D, fewestSaturating);
  if (!Number.isInteger(keyWeight) || keyWeight < 1 || keyWeight > D) {
    throw new ConfigError("recall.keyWeight", `${keyWeight} ones per key is not in 1..D = ${D}`);
  }
  // S of a key sharing `overlap` of the query's ones; its other ones meet the query on 0 V cells
  const score = (overlap: number, delta: number) =>
    overlap * pulse * current(config, highV, delta) + (keyWeight - overlap) * pulse * current(config, lowV, delta);
  let safest = -1;
  for (let o = 0; o < keyWeight; o++) if (score(o, 1) <= 0) safest = o;
  if (safest < 0) throw new ConfigError("recall.keyWeight", `no overlap keeps a mismatched key's S ≤ 0 with ${keyWeight} ones (g(0 V) = ${gLowUa} µA): keys cannot be told apart`);
  const maxOverlap = plan.maxOverlap ?? safest;
  if (!Number.isInteger(maxOverlap) || maxOverlap < 0 || maxOverlap >= keyWeight) {
    throw new ConfigError("recall.maxOverlap", `${maxOverlap} is not in 0..${keyWeight - 1} (keys of weight ${keyWeight} that share all their ones are the same key)`);
  }
  const L = plan.valueLevels;
  if (!Number.isInteger(L) || L < 2 || L > config.levelsKv) {
    throw new ConfigError("recall.valueLevels", `${L} is not in 2..${config.levelsKv}: the value levels are DAC levels (levelsKv ${config.levelsKv})`);
  }
  const valueCodes = Array.from({ length: L }, (_, i) => Math.round((i * (config.levelsKv - 1)) / (L - 1)));
  const valueVolts = valueCodes.map((c) => gkv.step * c);
  // a value level's output count under its key's pulse, the K cells decayed by δK and the V cells by δV
  const count = (level: number, deltaK: number, deltaV: number) =>
    gridCode(gout, (cpcFraction(score(keyWeight, deltaK), 0, sSat) * current(config, valueVolts[level], deltaV)) / (sSat / 2), "recall count");
  const codebook = valueVolts.map((_, l) => count(l, 1, 1));
  const indistinguishable: [number, number][] = [];
  for (let a = 0; a < L; a++) for (let b = a + 1; b < L; b++) if (codebook[a] === codebook[b]) indistinguishable.push([a, b]);
  const breakEven = valueVolts.map((_, l) => breakEvenOf(config, chip, l, codebook, count));
  return {
    D, keyWeight, maxOverlap, gHighUa, gLowUa,
    matchScore: score(keyWeight, 1),
    matchFraction: cpcFraction(score(keyWeight, 1), 0, sSat),
    crossScore: score(maxOverlap, 1),
    valueVolts, valueCodes, codebook, indistinguishable,
    chance: 1 / L,
    breakEven,
  };
}

/**
 * The break-even of value level `level`: the age at which its count, with retention shrinking both
 * the key's S and the value's current, first decodes as anything but itself (for binary values:
 * falls below half an output step). Ages are tokens (`token` retention) or ps since the write
 * (`time`); the K read comes PRECHARGE 1 after the write's end, the V read PHASE 1 + PRECHARGE 2
 * later still (docs/model.md §3, §7). The count only shrinks with age until it decodes wrong, so
 * doubling then bisecting finds the first crossing.
 */
function breakEvenOf(
  config: AcceleratorConfig, chip: ChipSpec, level: number, codebook: readonly number[],
  count: (level: number, deltaK: number, deltaV: number) => number,
): BreakEven {
  const lambda = config.lambdaPerToken;
  const clock = config.clockPeriodPs;
  const periodPs = cyclesPerToken(config) * clock + chip.tokenGapPs; // one token, with its gap
  const kOffsetPs = config.precharge1Cycles * clock;
  const vOffsetPs = (config.phase1Cycles + config.precharge2Cycles) * clock;
  const byTime = chip.retention === "time";
  const deltas = (age: number): [number, number] => byTime
    ? [retentionInTime(lambda, age), retentionInTime(lambda, age + vOffsetPs)]
    : [retention(lambda, age), retention(lambda, age)];
  const right = (age: number) => {
    const levels = nearestLevels(count(level, ...deltas(age)), codebook);
    return levels.length === 1 && levels[0] === level;
  };
  const at = (age: number): BreakEven => byTime
    ? { level, tokens: (age - kOffsetPs) / periodPs, timeUs: age / 1e6 }
    : { level, tokens: age, timeUs: (age * periodPs + kOffsetPs) / 1e6 };
  if (!right(byTime ? kOffsetPs : 0)) return at(byTime ? kOffsetPs : 0);
  if (lambda === 0) return { level, tokens: null, timeUs: null };
  let lo = 0;
  let hi = byTime ? periodPs : 1;
  while (right(hi)) {
    lo = hi;
    hi *= 2;
    if (deltas(hi)[0] < 1e-12) return { level, tokens: null, timeUs: null }; // decays to nothing and still decodes
  }
  for (let i = 0; i < 200 && hi - lo > 1e-9 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (right(mid)) lo = mid;
    else hi = mid;
  }
  return at(hi);
}
