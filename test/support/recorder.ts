// A trace sink for tests: records every sampled change of every net as text, in memory.
import type { TraceSink } from "../../src/engine/api.js";
import type { Simulator } from "../../src/engine/Simulator.js";

/** Value of net `id` as text: integers in decimal (wide ones exactly), reals as numbers. */
export function netValue(sim: Simulator, id: number): string {
  const s = sim.store;
  const off = s.wideOff[id];
  if (off < 0) return String(s.cur[id]);
  let v = 0n;
  for (let i = s.wideWords[id] - 1; i >= 0; i--) v = (v << 32n) | BigInt(s.wcur[off + i]);
  return v.toString();
}

/** A net's recorded changes: `[time, value]` pairs from time 0. */
export type History = [number, string][];

/** Appends (t, v) to a history of a plain model as the Recorder keeps one: the last value per time, changes only. */
export function record(h: History, t: number, v: number): void {
  if (h[h.length - 1][0] === t) h.pop();
  if (h.length === 0 || h[h.length - 1][1] !== String(v)) h.push([t, String(v)]);
}

/** Records `[time, value]` pairs per net path, from the initial values on, as a trace would see them. */
export class Recorder implements TraceSink {
  readonly history = new Map<string, History>();
  closedAt = -1;
  readonly fromPs = 0;
  readonly toPs = Number.MAX_SAFE_INTEGER;

  constructor(private readonly sim: Simulator) {
    sim.attachTrace(this, () => true);
    for (const net of sim.design.nets) this.history.set(sim.netName(net.id), [[0, netValue(sim, net.id)]]);
  }

  sample(timePs: number, changed: Int32Array, n: number): void {
    for (let i = 0; i < n; i++) {
      const id = changed[i];
      const h = this.history.get(this.sim.netName(id))!;
      const v = netValue(this.sim, id);
      const last = h[h.length - 1];
      if (last[1] === v) continue;
      if (last[0] === timePs) h.pop();
      if (h.length === 0 || h[h.length - 1][1] !== v) h.push([timePs, v]);
    }
  }

  /** Vertices of piecewise-linear nets are left out: the history holds what processes see. */
  point(): void {}

  close(endPs: number): void {
    this.closedAt = endPs;
  }
}
