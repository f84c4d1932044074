// Which nets anybody observes, and which timers may sleep for good (api.ts, "a signal nobody
// observes costs nothing"): worked out once, when the run starts and the trace is known.
import { Trigger } from "./api.js";
import type { Elaborated } from "./Elaboration.js";

/**
 * Per net 1 when it is observed; per process 1 when it is a timer that is never armed; per net 1
 * when something may see it low (read at level by anything but the processes its rise wakes).
 */
export interface Observation {
  readonly observed: Uint8Array;
  readonly dead: Uint8Array;
  readonly lowSeen: Uint8Array;
}

/**
 * A net is observed when it is kept (traced, or read by the testbench), has no driving process (the
 * testbench drives it), wakes a process, or is read
 * by a live process (its declared reads, else every net of its module). A timer is dead when it
 * writes something and every net it writes is observed by nobody but itself: its only effects are
 * its writes (api.ts), so not running it changes nothing anyone can see. Dead timers' reads do not
 * count, so the two are worked out together until nothing more dies.
 */
export function observe(d: Elaborated, kept: Uint8Array): Observation {
  const nNets = d.nets.length;
  const nProcs = d.processes.length;
  const dead = new Uint8Array(nProcs);
  const byOthers = new Uint8Array(nNets);
  const readsOf = (p: number, visit: (net: number) => void) => {
    const { start, items } = d.reads;
    for (let k = start[p]; k < start[p + 1]; k++) visit(items[k]);
    if (d.readsModule[p] === 0) return;
    const m = d.moduleOf[p];
    for (let k = d.moduleNets.start[m]; k < d.moduleNets.start[m + 1]; k++) visit(d.moduleNets.items[k]);
  };
  for (;;) {
    byOthers.set(kept);
    // the testbench's own inputs (no driving process): it pokes them and may read them back
    for (let net = 0; net < nNets; net++) if (d.driver[net] < 0) byOthers[net] = 1;
    for (let p = 0; p < nProcs; p++) {
      if (dead[p] === 1) continue;
      readsOf(p, (net) => {
        if (d.driver[net] !== p) byOthers[net] = 1;
      });
    }
    let died = false;
    for (let p = 0; p < nProcs; p++) {
      if (dead[p] === 1 || d.processes[p].trigger !== Trigger.Timer) continue;
      const { start, items } = d.writes;
      if (start[p] === start[p + 1]) continue; // no writes: its effects are elsewhere, it stays
      let seen = false;
      for (let k = start[p]; k < start[p + 1] && !seen; k++) seen = byOthers[items[k]] === 1;
      if (!seen) {
        dead[p] = 1;
        died = true;
      }
    }
    if (!died) break;
  }
  // a live process reading what it writes itself (a counter) keeps that net too
  const observed = byOthers.slice();
  for (let p = 0; p < nProcs; p++) if (dead[p] === 0) readsOf(p, (net) => (observed[net] = 1));
  return { observed, dead, lowSeen: lowSeen(d, kept, dead, readsOf) };
}

/**
 * Driven nets something may see low: kept ones, and those a live process other than the driver
 * may read — what wakes it included (a fall, a change) — except a process woken only by the
 * net's rise: it runs while the net is high. A clock none of this sees need not fall (api.ts).
 */
function lowSeen(d: Elaborated, kept: Uint8Array, dead: Uint8Array, readsOf: (p: number, visit: (net: number) => void) => void): Uint8Array {
  const seen = kept.slice();
  for (let p = 0; p < d.processes.length; p++) {
    if (dead[p] === 1) continue;
    // a process's reads begin with what wakes it (Elaborated.reads)
    const rising = d.processes[p].trigger === Trigger.Posedge ? d.reads.items[d.reads.start[p]] : -1;
    readsOf(p, (net) => {
      if (net !== rising && d.driver[net] !== p) seen[net] = 1;
    });
  }
  return seen;
}
