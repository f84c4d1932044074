// The compiled schedule's source: straight-line JavaScript for one elaborated design, made when the
// run starts. Each trigger (a net's rise, fall or change, a timer, the start) is a group: a function
// calling its processes in rank order, and a function committing what they write, net by net, with
// the ids and the groups each change wakes written in as constants.
import { Trigger } from "./api.js";
import { describedSource, type NetLayout } from "./describedSource.js";
import { fuse } from "./combFusion.js";
import type { Elaborated, Rows } from "./Elaboration.js";
import type { Observation } from "./observation.js";

/** How the update phase commits a net that goes through the pending list. */
export const enum CommitMode {
  /** Narrow, wakes nothing, not traced: a copy. */
  Copy = 0,
  /** Narrow and traced, wakes nothing. */
  Traced = 1,
  /** Wide, wakes nothing. */
  Wide = 2,
  /** Wakes processes: the groups in `rise`, `fall` and `change`. */
  Fanned = 3,
  /** A clock simulated at its rises only (api.ts): every commit is a rise; `next` goes back to 0 so the next one is seen. */
  Rises = 4,
}

/** The generated source and the tables it runs on. */
export interface ScheduleSource {
  /** Body of `new Function("P", "S", "K", "T", body)`; returns the schedule's entry points. */
  readonly body: string;
  /** Per net: its CommitMode, for nets committed from the pending list. */
  readonly mode: Uint8Array;
  /** Per net: the group woken by a rise, a fall, any change (−1: none), for nets committed from the pending list. */
  readonly rise: Int32Array;
  readonly fall: Int32Array;
  readonly change: Int32Array;
  /** Per net: 1 when its group commits it (it never enters the pending list). */
  readonly direct: Uint8Array;
  /** Per group: its one process, −1 for a group of several (called through its generated function). */
  readonly solo: Int32Array;
  /** Per process: 1 when it may be woken twice in a delta, so it is guarded to run once. */
  readonly guarded: Uint8Array;
  /** Per group: 1 when it commits nets of its own. */
  readonly hasCommits: Uint8Array;
  /** Per process: the group its timer wakes, −1 for a process that is no running timer. */
  readonly timerGroup: Int32Array;
  /** The group that runs every combinational process in rank order, −1 if there is none. */
  readonly startGroup: number;
  /** The processes of each group, in the order it calls them. */
  readonly groups: readonly number[][];
  /** Per process: 1 when fused (see fuse): run by a follower group when marked dirty. */
  readonly fused: Uint8Array;
}

// Generated functions are split into parts of this many lines: TurboFan compiles a function of a
// thousand calls slowly (a 1,024-register bank ran 2× slower than on the interpreted back end with
// parts of 800 lines, level with it with parts of 64; CPU time, 12 runs).
const LINES_PER_FUNCTION = 64;
// A process writing at most this many nets has them committed by its groups, each by a line of its
// own; one writing more (a bank of converters) changes few of them per run: those go through the
// pending list, so the update phase touches only what changed.
const DIRECT_WRITES = 16;

/**
 * Source of the schedule of `d`: processes whose trigger fires are called directly, and the nets of
 * small writers are committed right after the delta's processes have run, by code naming their ids.
 * No write is checked against its driver (drivers are proven at elaboration). Unobserved nets are
 * never committed (CompiledSchedule keeps them pending for good) and dead timers have no group.
 * `permute`, when given, reorders each group's processes (the order-independence test mode).
 */
export function scheduleSource(d: Elaborated, seen: Observation, traced: Uint8Array, permute?: (procs: number[]) => void): ScheduleSource {
  const nNets = d.nets.length;
  const nProcs = d.processes.length;
  const byRank = (a: number, b: number) => d.rank[a] - d.rank[b] || a - b;
  const groups: number[][] = [];
  const group = (procs: number[]): number => {
    if (procs.length === 0) return -1;
    procs.sort(byRank);
    permute?.(procs);
    return groups.push(procs) - 1;
  };
  const row = (rows: Rows, id: number) => Array.from(rows.items.subarray(rows.start[id], rows.start[id + 1]));
  const wakes = (rows: Rows, id: number) => rows.start[id + 1] > rows.start[id];

  const startGroup = group(Array.from(d.combOrder));
  const timerGroup = new Int32Array(nProcs).fill(-1);
  d.processes.forEach((p, i) => {
    if (p.trigger === Trigger.Timer && seen.dead[i] === 0) timerGroup[i] = group([i]);
  });
  // A process woken through more than one net may be woken twice in a delta: it is guarded to run once.
  const wakingNets = new Int32Array(nProcs);
  const mode = new Uint8Array(nNets);
  const rise = new Int32Array(nNets).fill(-1);
  const fall = new Int32Array(nNets).fill(-1);
  const change = new Int32Array(nNets).fill(-1);
  for (let id = 0; id < nNets; id++) {
    const wide = d.wideOff[id] >= 0;
    if (!wakes(d.onPosedge, id) && !wakes(d.onNegedge, id) && !wakes(d.onChange, id)) {
      mode[id] = wide ? CommitMode.Wide : traced[id] === 1 ? CommitMode.Traced : CommitMode.Copy;
      continue;
    }
    const r = row(d.onPosedge, id);
    const drv = d.driver[id];
    if (seen.lowSeen[id] === 0 && drv >= 0 && d.processes[drv].drivesClock) {
      mode[id] = CommitMode.Rises;
      rise[id] = group(r);
      for (const p of new Set(r)) wakingNets[p]++;
      continue;
    }
    const f = row(d.onNegedge, id);
    const c = row(d.onChange, id);
    for (const p of new Set([...r, ...f, ...c])) wakingNets[p]++;
    mode[id] = CommitMode.Fanned;
    rise[id] = group(r);
    fall[id] = group(f);
    change[id] = group(c);
  }
  // Committed by their groups: the nets of small writers that run only in groups of several
  // processes (a clock edge's registers); a group of one goes through the pending list, which costs
  // no call of its own.
  const direct = new Uint8Array(nNets);
  const writesOf = (p: number) => d.writes.items.subarray(d.writes.start[p], d.writes.start[p + 1]);
  const inSolo = new Uint8Array(nProcs);
  for (const procs of groups) if (procs.length === 1) inSolo[procs[0]] = 1;
  for (let p = 0; p < nProcs; p++) {
    const w = writesOf(p);
    if (w.length <= DIRECT_WRITES && inSolo[p] === 0) for (const id of w) direct[id] = seen.observed[id];
  }

  const { fused, follower } = fuse(d, groups, direct, wakingNets, { rise, fall, change }, group);
  const followers = new Set(follower);

  const lines: string[] = [
    `"use strict";`,
    `// schedule of ${d.top.path}: ${nNets} nets, ${nProcs} processes, ${groups.length} trigger groups`,
    `const cur = S.cur, next = S.next, wcur = S.wcur, wnext = S.wnext, pending = S.pending, isPending = S.isPending;`,
    `const wideOff = S.wideOff, wideWords = S.wideWords;`,
    `const mode = T.mode, rise = T.rise, fall = T.fall, change = T.change, traced = T.traced, solo = T.solo, guarded = T.guarded, hasCommits = T.hasCommits;`,
    `const changed = K.changed, random = K.random, shuffle = K.shuffle;`,
    `// the processes the evaluate loop calls: closures, and the described ones' functions below`,
    `const procs = P.slice();`,
    `const queued = new Uint8Array(${groups.length});`,
    `let wq = new Int32Array(${groups.length}), rq = new Int32Array(${groups.length}), nWake = 0, nRan = 0;`,
    `// a guarded process ran in this evaluate phase when seen[p] === stamp`,
    `const seen = new Float64Array(${nProcs});`,
    `// a fused comb process (see fuse) is due in its follower group when dirty[p] === 1`,
    `const dirty = new Uint8Array(${nProcs});`,
    `let stamp = 0, at = -1, evaluations = 0;`,
    ``,
  ];
  // a described process's body, inline in its groups' run functions, and as a function of its own
  const layout: NetLayout = { wideOff: d.wideOff, held: (id) => seen.observed[id] === 0 || direct[id] === 1 };
  const bodies = d.processes.map((p) => (p.description === null ? null : describedSource(p.description, layout)));
  bodies.forEach((body, p) => {
    if (body !== null) lines.push(`// ${d.processes[p].path} (described)`, `function proc${p}() {`, ...body.map((l) => `  ${l}`), `}`, `procs[${p}] = proc${p};`);
  });
  const wake = (g: number) => (g < 0 ? "" : ` if (queued[${g}] === 0) { queued[${g}] = 1; wq[nWake++] = ${g}; }`);
  const runNames: string[] = [];
  const commitNames: string[] = [];
  // a group of one process is called by the evaluate loop itself, guarded there if need be
  const solo = new Int32Array(groups.length).fill(-1);
  const hasCommits = new Uint8Array(groups.length);
  const guarded = Uint8Array.from(wakingNets, (n) => (n > 1 ? 1 : 0));
  groups.forEach((procs, g) => {
    lines.push(`// group ${g}: ${d.processes[procs[0]].path}${procs.length > 1 ? ` and ${procs.length - 1} more` : ""}`);
    if (procs.length === 1) {
      solo[g] = procs[0];
      runNames.push("nothing");
    } else {
      const isFollower = followers.has(g);
      const calls = procs.map((p) => {
        const body = bodies[p];
        // a described body calls nothing that throws, so it needs no `at` for the error's process
        const call = body === null ? `at = ${p}; P[${p}]();` : [`{ // ${d.processes[p].path}`, ...body.map((l) => `  ${l}`), `}`].join("\n");
        if (isFollower) return `if (dirty[${p}] === 1) { dirty[${p}] = 0; ran++; ${call} }`;
        return guarded[p] === 1 ? `if (seen[${p}] !== stamp) { seen[${p}] = stamp; ${call} evaluations++; }` : call;
      });
      const counted = isFollower ? 0 : procs.filter((p) => guarded[p] === 0).length;
      const frame = isFollower ? { start: "let ran = 0;", end: "evaluations += ran;" } : undefined;
      runNames.push(emit(lines, `run${g}`, isFollower ? calls : [...calls, `evaluations += ${counted};`], frame));
    }
    const commits: string[] = [];
    // a net whose one reader is fused marks it dirty and wakes the follower instead of its group
    const wakeChange = (id: number) => {
      const c = change[id] < 0 ? -1 : groups[change[id]][0];
      return c >= 0 && fused[c] === 1 ? ` dirty[${c}] = 1;${wake(follower[g])}` : wake(change[id]);
    };
    for (const p of procs) {
      for (const id of writesOf(p)) {
        if (direct[id] === 0) continue;
        const mark = traced[id] === 1 ? ` changed.add(${id});` : "";
        if (d.wideOff[id] >= 0) commits.push(`if (commitWide(${id})) {${mark}${wakeChange(id)} }`);
        // a net that wakes nothing and is not traced is copied: no branch on data (a register bank's
        // values change at random, and a mispredicted branch costs more than the store)
        else if (mode[id] === CommitMode.Copy) commits.push(`cur[${id}] = next[${id}];`);
        else {
          const edges = rise[id] < 0 && fall[id] < 0 ? "" : ` if (v > o) {${wake(rise[id])} } else {${wake(fall[id])} }`;
          commits.push(`{ const v = next[${id}], o = cur[${id}]; if (v !== o) { cur[${id}] = v;${mark}${edges}${wakeChange(id)} } }`);
        }
      }
    }
    commitNames.push(commits.length === 0 ? "nothing" : emit(lines, `commit${g}`, commits));
    hasCommits[g] = commits.length === 0 ? 0 : 1;
  });
  lines.push(`function nothing() {}`, `const runs = [${runNames.join(", ")}];`, `const commits = [${commitNames.join(", ")}];`);
  lines.push(RUNTIME);
  return { body: lines.join("\n"), mode, rise, fall, change, direct, solo, guarded, hasCommits, timerGroup, startGroup, groups, fused };
}

/**
 * Emits `body` as function `name`, split into parts called in turn when long; returns the name. An
 * entry of several lines (a described process) stays whole in one part; `frame` opens and closes each part.
 */
function emit(lines: string[], name: string, body: string[], frame?: { start: string; end: string }): string {
  const size = (entry: string) => entry.split("\n").length;
  if (body.length === 1 || body.reduce((n, e) => n + size(e), 0) <= LINES_PER_FUNCTION) {
    const inner = frame === undefined ? body : [frame.start, ...body, frame.end];
    lines.push(`function ${name}() {`, ...inner.flatMap((e) => e.split("\n")).map((l) => `  ${l}`), `}`);
    return name;
  }
  const parts: string[] = [];
  let part: string[] = [];
  let n = 0;
  const close = () => parts.push(emit(lines, `${name}_${parts.length}`, part, frame));
  for (const entry of body) {
    if (n > 0 && n + size(entry) > LINES_PER_FUNCTION) {
      close();
      part = [];
      n = 0;
    }
    part.push(entry);
    n += size(entry);
  }
  close();
  lines.push(`function ${name}() { ${parts.map((p) => `${p}();`).join(" ")} }`);
  return name;
}

// The phases themselves, the same for every design.
const RUNTIME = `
function commitWide(id) {
  let diff = false;
  for (let w = wideOff[id], e = w + wideWords[id]; w < e; w++) {
    if (wcur[w] !== wnext[w]) { wcur[w] = wnext[w]; diff = true; }
  }
  return diff;
}

function mark(id) { isPending[id] = 1; pending[S.nPending++] = id; }
function shl(a, b) { return b >= 32 ? 0 : (a << b) >>> 0; }
function shr(a, b) { return b >= 32 ? 0 : a >>> b; }

function wake(g) { if (g >= 0 && queued[g] === 0) { queued[g] = 1; wq[nWake++] = g; } }

// the nets of the groups that ran, then the ones written through the pending list
function update() {
  for (let i = 0; i < nRan; i++) if (hasCommits[rq[i]] === 1) commits[rq[i]]();
  nRan = 0;
  const n = S.nPending;
  S.nPending = 0;
  for (let i = 0; i < n; i++) {
    const id = pending[i];
    isPending[id] = 0;
    const m = mode[id];
    if (m === ${CommitMode.Copy}) { cur[id] = next[id]; continue; }
    if (m === ${CommitMode.Traced}) { const v = next[id]; if (v !== cur[id]) { cur[id] = v; changed.add(id); } continue; }
    if (m === ${CommitMode.Rises}) { cur[id] = 1; next[id] = 0; wake(rise[id]); continue; }
    if (wideOff[id] >= 0) {
      if (!commitWide(id)) continue;
    } else {
      const v = next[id], o = cur[id];
      if (v === o) continue;
      cur[id] = v;
      if (m === ${CommitMode.Fanned}) wake(v > o ? rise[id] : fall[id]);
    }
    if (traced[id] === 1) changed.add(id);
    if (m === ${CommitMode.Fanned}) wake(change[id]);
  }
}

function evaluate() {
  const q = wq, n = nWake;
  wq = rq; rq = q; nWake = 0; nRan = n; stamp++;
  if (random !== null) shuffle(q, n, random);
  for (let i = 0; i < n; i++) {
    const g = q[i];
    queued[g] = 0;
    const p = solo[g];
    if (p < 0) runs[g]();
    else if (guarded[p] === 0 || seen[p] !== stamp) {
      seen[p] = stamp;
      at = p;
      procs[p]();
      evaluations++;
    }
  }
  at = -1;
}

return {
  update, evaluate, wake,
  woken: () => nWake > 0,
  ran: () => nRan > 0,
  wokenGroups: () => Array.from(wq.subarray(0, nWake)),
  dirty,
  running: () => at,
  evaluations: () => evaluations,
};`;
