// Ranks the combinational processes when the model is built (api.ts): a topological order over the
// nets they read and write, or the error naming the processes on a combinational loop.
import { ElaborationError } from "./errors.js";

/** What ranking needs of the design: its processes, which are combinational, what each reads, who drives each net. */
export interface CombGraph {
  readonly nProcs: number;
  /** 1 for a combinational process. */
  readonly isComb: Uint8Array;
  /** Net ids each process is sensitive to. */
  readonly readsOf: (proc: number) => readonly number[];
  /** Driving process of each net, −1 for none. */
  readonly driver: Int32Array;
  readonly procName: (proc: number) => string;
  readonly netName: (net: number) => string;
}

/** Comb process ids in rank order, and each process's rank (−1 for clocked and timed ones). */
export interface CombRanks {
  readonly combOrder: Int32Array;
  readonly rank: Int32Array;
}

/**
 * Kahn's algorithm level by level: rank 0 reads no comb output, rank r + 1 reads one of rank r at
 * most; equal ranks in ascending id. A comb process left unranked lies on or behind a loop.
 */
export function rankCombinational(g: CombGraph): CombRanks {
  const { nProcs, isComb, driver } = g;
  const feeds: number[][] = Array.from({ length: nProcs }, () => []);
  const waitingOn = new Int32Array(nProcs);
  for (let q = 0; q < nProcs; q++) {
    if (isComb[q] === 0) continue;
    for (const net of g.readsOf(q)) {
      const p = driver[net];
      if (p < 0 || isComb[p] === 0) continue;
      feeds[p].push(q);
      waitingOn[q]++;
    }
  }
  const rank = new Int32Array(nProcs).fill(-1);
  const order: number[] = [];
  let level: number[] = [];
  for (let p = 0; p < nProcs; p++) if (isComb[p] === 1 && waitingOn[p] === 0) level.push(p);
  for (let r = 0; level.length > 0; r++) {
    const nextLevel: number[] = [];
    for (const p of level) {
      rank[p] = r;
      order.push(p);
      for (const q of feeds[p]) if (--waitingOn[q] === 0) nextLevel.push(q);
    }
    level = nextLevel.sort((a, b) => a - b);
  }
  const nComb = isComb.reduce((n, c) => n + c, 0);
  if (order.length < nComb) throw loopError(g, rank);
  return { combOrder: Int32Array.from(order), rank };
}

// Walks back from an unranked process along unranked drivers until a process repeats: the loop.
function loopError(g: CombGraph, rank: Int32Array): ElaborationError {
  const { isComb, driver } = g;
  const unrankedDriverOf = (q: number): [number, number] => {
    for (const net of g.readsOf(q)) {
      const p = driver[net];
      if (p >= 0 && isComb[p] === 1 && rank[p] < 0) return [p, net];
    }
    throw new Error(`invariant: unranked comb process ${g.procName(q)} waits on an unranked one`);
  };
  let q = 0;
  while (isComb[q] === 0 || rank[q] >= 0) q++;
  const seenAt = new Map<number, number>();
  const path: [number, number][] = []; // (process, net it reads from the previous one on the path)
  while (!seenAt.has(q)) {
    seenAt.set(q, path.length);
    const [p, net] = unrankedDriverOf(q);
    path.push([q, net]);
    q = p;
  }
  // path runs against the signal flow: reverse the loop's part to read it driver first
  const loop = path.slice(seenAt.get(q)).reverse();
  const steps = loop.map(([reader, net]) => `${g.procName(driver[net])} writes ${g.netName(net)}, read by ${g.procName(reader)}`);
  return new ElaborationError(
    `combinational loop: ${steps.join("; ")}; a combinational process cannot depend on its own output ` +
      `(break the loop with a clocked process)`,
  );
}
