// Decoding a recall run's outputs (docs/recall.md): each dimension's output count, less the chip's zero
// point, is read as the value level whose codebook count is nearest; scored per distance, with the
// capacity (the largest distance up to which every probed distance reaches the threshold).
import type { TokenTimes } from "../laws/tokenTiming.js";
import type { Capacity, RecallEncoding, RecallPoint } from "./api.js";
import { nearestLevels } from "./encoding.js";
import type { RecallStream } from "./stream.js";

/** Every query's score per dimension, and the zero point the decoder used. */
export interface DecodedQueries {
  /** Per output dimension, output counts: the mean over the probes (each matching nothing), or 0 without probes. */
  readonly zeroPoint: Float64Array;
  /** The queries (probes left out) in stream order. */
  readonly queries: readonly { readonly token: number; readonly distance: number }[];
  /**
   * Score of each query's dimension, queries×D: 1 when decoded to its level alone, 1/k when a
   * k-way tie includes it (the guess a tie forces is right that often), else 0.
   */
  readonly scores: Float64Array;
}

/** The zero point per dimension: the mean output of the probe tokens (docs/recall.md: what a query matching nothing reads). */
function zeroPointOf(outCodes: Int32Array, stream: RecallStream): Float64Array {
  const { D } = stream;
  const zero = new Float64Array(D);
  let probes = 0;
  for (const e of stream.events) {
    if (e.distance !== 0) continue;
    probes++;
    for (let d = 0; d < D; d++) zero[d] += outCodes[e.token * D + d];
  }
  if (probes > 0) for (let d = 0; d < D; d++) zero[d] /= probes;
  return zero;
}

/** Decodes the queries of `stream` from a run's summed output counts (T×D). */
export function decodeQueries(outCodes: Int32Array, stream: RecallStream, enc: RecallEncoding): DecodedQueries {
  const { D } = stream;
  const zeroPoint = zeroPointOf(outCodes, stream);
  const queries = stream.events.filter((e) => e.distance > 0);
  const scores = new Float64Array(queries.length * D);
  queries.forEach((e, i) => {
    for (let d = 0; d < D; d++) {
      const levels = nearestLevels(outCodes[e.token * D + d] - zeroPoint[d], enc.codebook);
      const truth = stream.valueLevels[(e.token - e.distance) * D + d];
      scores[i * D + d] = levels.includes(truth) ? 1 / levels.length : 0;
    }
  });
  return { zeroPoint, queries, scores };
}

/** Accuracy against distance, one point per distance of `distances`, and the elapsed time from the token timing law. */
export function recallCurve(decoded: DecodedQueries, distances: readonly number[], D: number, times: TokenTimes): RecallPoint[] {
  return distances.map((distance) => {
    let queries = 0;
    let bits = 0;
    let whole = 0;
    let elapsedPs = 0;
    decoded.queries.forEach((e, i) => {
      if (e.distance !== distance) return;
      queries++;
      let all = true;
      for (let d = 0; d < D; d++) {
        const s = decoded.scores[i * D + d];
        bits += s;
        if (s !== 1) all = false;
      }
      if (all) whole++;
      elapsedPs += times.phase1Ps[e.token] - times.writeEndPs[e.token - distance];
    });
    return {
      distance,
      queries,
      bitAccuracy: queries === 0 ? 0 : bits / (queries * D),
      queryAccuracy: queries === 0 ? 0 : whole / queries,
      elapsedUs: queries === 0 ? 0 : elapsedPs / queries / 1e6,
    };
  });
}

/** The capacity of a curve: the largest distance up to which every point reaches `threshold`. */
export function capacityOf(curve: readonly RecallPoint[], threshold: number): Capacity {
  let last: RecallPoint | undefined;
  for (const p of curve) {
    if (p.bitAccuracy < threshold) return { tokens: last?.distance ?? 0, elapsedUs: last?.elapsedUs ?? 0, censored: false };
    last = p;
  }
  return { tokens: last?.distance ?? 0, elapsedUs: last?.elapsedUs ?? 0, censored: true };
}

/** Curves of several chips pooled: each distance's queries together (the chips ran the same stream, so the counts add). */
export function pooledCurve(curves: readonly (readonly RecallPoint[])[]): RecallPoint[] {
  return curves[0].map((first, i) => {
    const at = curves.map((c) => c[i]);
    const queries = at.reduce((n, p) => n + p.queries, 0);
    const mean = (f: (p: RecallPoint) => number) => (queries === 0 ? 0 : at.reduce((s, p) => s + f(p) * p.queries, 0) / queries);
    return {
      distance: first.distance,
      queries,
      bitAccuracy: mean((p) => p.bitAccuracy),
      queryAccuracy: mean((p) => p.queryAccuracy),
      elapsedUs: mean((p) => p.elapsedUs),
    };
  });
}
