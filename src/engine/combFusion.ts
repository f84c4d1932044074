// Fused combinational processes of the compiled schedule (scheduleSource.ts): described comb
// processes a clock edge's registers wake one by one, run instead by one follower group per edge.
import type { Elaborated } from "./Elaboration.js";

/**
 * Fused comb processes: a described comb process woken by one net only, which only that net's
 * change wakes and only one group commits (a channel's `pulse = count != 0` after its clock edge),
 * is marked dirty by that commit; the group's follower, woken once, runs the dirty ones inline in
 * the next delta, as their own wakes would have: one wake and no call per process. Returns them,
 * and per group its follower (−1: none; a group fusing one process keeps the plain wake).
 */
export function fuse(d: Elaborated, groups: number[][], direct: Uint8Array, wakingNets: Int32Array, wakes: { rise: Int32Array; fall: Int32Array; change: Int32Array }, group: (procs: number[]) => number): { fused: Uint8Array; follower: number[] } {
  const { rise, fall, change } = wakes;
  const committers = new Int32Array(d.nets.length);
  const committer = new Int32Array(d.nets.length);
  groups.forEach((procs, g) => {
    for (const p of procs) for (let k = d.writes.start[p]; k < d.writes.start[p + 1]; k++) {
      const id = d.writes.items[k];
      if (direct[id] === 1) (committers[id]++, (committer[id] = g));
    }
  });
  const byGroup = new Map<number, number[]>();
  for (let id = 0; id < d.nets.length; id++) {
    const g = change[id];
    if (committers[id] !== 1 || g < 0 || groups[g].length !== 1 || rise[id] >= 0 || fall[id] >= 0) continue;
    const c = groups[g][0];
    if (wakingNets[c] !== 1 || d.processes[c].description === null) continue;
    const fusedHere = byGroup.get(committer[id]);
    if (fusedHere === undefined) byGroup.set(committer[id], [c]);
    else fusedHere.push(c);
  }
  const fused = new Uint8Array(d.processes.length);
  const follower: number[] = [];
  for (const [g, procs] of byGroup) {
    if (procs.length < 2) continue;
    for (const c of procs) fused[c] = 1;
    follower[g] = group(procs);
  }
  return { fused, follower: Array.from({ length: groups.length }, (_, g) => follower[g] ?? -1) };
}
