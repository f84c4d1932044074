// Elaboration: walks the module tree once, joins connected handles into nets, numbers nets and
// processes, checks drivers, ranks the combinational processes, and builds the static tables the
// schedulers run on (fan-out per net; writes and reads per process).
import { DriverConflict, ElaborationError } from "./errors.js";
import { SignalKind, Trigger } from "./api.js";
import { rankCombinational } from "./combRank.js";
import type { Module } from "./Module.js";
import type { Process } from "./Process.js";
import { WideVec, type Signal } from "./Signal.js";

/** One net: the handles joined by connections, and what the trace needs to know of it. */
export interface Net {
  readonly id: number;
  /** Every handle of the net, in hierarchy order; the first one names the net in messages. */
  readonly handles: Signal[];
  readonly kind: SignalKind;
  readonly width: number;
  readonly unit: string;
}

/** Compressed sparse rows: row `i` is `items[start[i] .. start[i+1])`. */
export interface Rows {
  readonly start: Int32Array;
  readonly items: Int32Array;
}

/** The flattened, numbered design. */
export interface Elaborated {
  readonly top: Module;
  readonly modules: Module[];
  readonly nets: Net[];
  readonly processes: Process[];
  /** Driving process of each net, −1 if none (a testbench input). */
  readonly driver: Int32Array;
  /** Per net: the processes woken by any change (combinational). */
  readonly onChange: Rows;
  /** Per net: the processes woken by a rising edge, posedge and anyedge ones. */
  readonly onPosedge: Rows;
  /** Per net: the processes woken by a falling edge, negedge and anyedge ones. */
  readonly onNegedge: Rows;
  /** Per process: the nets it writes. */
  readonly writes: Rows;
  /** Per process: the nets it reads (sensitivity and declared reads); see `readsModule`. */
  readonly reads: Rows;
  /** Per process: 1 when it declared no reads, so it may read any net of its module. */
  readonly readsModule: Uint8Array;
  /** Per process: index of its module in `modules`. */
  readonly moduleOf: Int32Array;
  /** Per module: the nets of its signals. */
  readonly moduleNets: Rows;
  /** Combinational process ids in rank order: each after every comb process whose output it reads. */
  readonly combOrder: Int32Array;
  /** Rank of each process (0: reads no comb output), −1 for clocked and timed processes. */
  readonly rank: Int32Array;
  /** Word offset of each wide net in the word store, −1 for narrow nets. */
  readonly wideOff: Int32Array;
  readonly wideWords: Int32Array;
  readonly totalWords: number;
}

/** Rows built from `count` rows of `lists(i)`: two passes, no array per row. */
function rowsOf(count: number, each: (i: number, add: (item: number) => void) => void): Rows {
  const start = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) each(i, () => start[i + 1]++);
  for (let i = 0; i < count; i++) start[i + 1] += start[i];
  const items = new Int32Array(start[count]);
  const fill = start.slice(0, count);
  for (let i = 0; i < count; i++) each(i, (item) => (items[fill[i]++] = item));
  return { start, items };
}

/** Flattens `top` into numbered nets and processes; throws ElaborationError on a wiring mistake. */
export function elaborate(top: Module): Elaborated {
  const modules: Module[] = [];
  const walk = (m: Module) => {
    modules.push(m);
    for (const c of m.children) walk(c);
  };
  walk(top);

  // Handle index (slot) of each signal of the design, then union-find over the connections.
  const handles: Signal[] = [];
  const handleModule: number[] = [];
  modules.forEach((m, mi) => {
    for (const s of m.signals) {
      s.slot = handles.length;
      handles.push(s);
      handleModule.push(mi);
    }
  });
  const slotOf = (s: Signal): number => (handles[s.slot] === s ? s.slot : -1);
  const parent = Int32Array.from(handles, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (const m of modules) {
    const c = m.connections;
    for (let k = 0; k < c.length; k += 2) {
      const ia = slotOf(c[k]);
      const ib = slotOf(c[k + 1]);
      if (ia < 0 || ib < 0) {
        throw new ElaborationError(`${m.path}: connects ${(ia < 0 ? c[k] : c[k + 1]).path}, which is not inside ${top.path}`);
      }
      const ra = find(ia);
      const rb = find(ib);
      if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }

  // A root is the first handle of its net (roots are the smallest index), so nets number in hierarchy order.
  const netOfHandle = new Int32Array(handles.length);
  const nets: Net[] = [];
  for (let i = 0; i < handles.length; i++) {
    const root = find(i);
    const h = handles[i];
    if (root === i) {
      netOfHandle[i] = nets.length;
      nets.push({ id: nets.length, handles: [h], kind: h.kind, width: h.width, unit: h.unit });
    } else {
      netOfHandle[i] = netOfHandle[root];
      nets[netOfHandle[i]].handles.push(h);
    }
  }
  const netOf = (p: Process, s: Signal): number => {
    const i = slotOf(s);
    if (i < 0) throw new ElaborationError(`${p.path}: uses ${s.path}, which is not inside ${top.path}`);
    return netOfHandle[i];
  };

  const processes: Process[] = [];
  const moduleOf: number[] = [];
  modules.forEach((m, mi) => {
    for (const p of m.processes) {
      p.id = processes.length;
      processes.push(p);
      moduleOf.push(mi);
    }
  });

  const driver = new Int32Array(nets.length).fill(-1);
  for (const p of processes) {
    for (const s of p.sensitivity) netOf(p, s);
    for (const s of p.writes) {
      if (s.direction === "in" && s.owner === p.owner) {
        throw new ElaborationError(`${p.path}: writes its own module's input port ${s.path}`);
      }
      const id = netOf(p, s);
      const other = driver[id];
      if (other >= 0 && other !== p.id) {
        throw new DriverConflict(
          `${s.path} has two drivers: ${processes[other].path} and ${p.path}; a net has exactly one`,
        );
      }
      driver[id] = p.id;
    }
  }

  // Fan-out per net: a process appears once per net even if it lists the net twice.
  const fanOut = (wakes: (t: Trigger) => boolean): Rows => {
    const byNet: number[] = [];
    const procOf: number[] = [];
    for (const p of processes) {
      if (!wakes(p.trigger)) continue;
      const seen = new Set<number>();
      for (const s of p.sensitivity) {
        const id = netOf(p, s);
        if (seen.has(id)) continue;
        seen.add(id);
        byNet.push(id);
        procOf.push(p.id);
      }
    }
    const count = new Int32Array(nets.length + 1);
    for (const id of byNet) count[id + 1]++;
    for (let i = 0; i < nets.length; i++) count[i + 1] += count[i];
    const items = new Int32Array(byNet.length);
    const fill = count.slice(0, nets.length);
    byNet.forEach((id, k) => (items[fill[id]++] = procOf[k]));
    return { start: count, items };
  };

  const writes = rowsOf(processes.length, (i, add) => {
    for (const s of processes[i].writes) add(netOf(processes[i], s));
  });
  const reads = rowsOf(processes.length, (i, add) => {
    const p = processes[i];
    for (const s of p.sensitivity) add(netOf(p, s));
    for (const s of p.reads ?? []) add(netOf(p, s));
  });
  const readsModule = Uint8Array.from(processes, (p) => (p.reads === null ? 1 : 0));
  const firstHandle = new Int32Array(modules.length + 1);
  for (const mi of handleModule) firstHandle[mi + 1]++;
  for (let m = 0; m < modules.length; m++) firstHandle[m + 1] += firstHandle[m];
  const moduleNets: Rows = { start: firstHandle, items: netOfHandle };

  const wideOff = new Int32Array(nets.length).fill(-1);
  const wideWords = new Int32Array(nets.length);
  let totalWords = 0;
  for (const net of nets) {
    if (net.kind !== SignalKind.WideVec) continue;
    wideOff[net.id] = totalWords;
    wideWords[net.id] = (net.handles[0] as WideVec).words;
    totalWords += wideWords[net.id];
  }

  const { combOrder, rank } = rankCombinational({
    nProcs: processes.length,
    isComb: Uint8Array.from(processes, (p) => (p.trigger === Trigger.Change ? 1 : 0)),
    readsOf: (p) => processes[p].sensitivity.map((s) => netOf(processes[p], s)),
    driver,
    procName: (p) => processes[p].path,
    netName: (id) => nets[id].handles[0].path,
  });

  return {
    top,
    modules,
    nets,
    processes,
    driver,
    onChange: fanOut((t) => t === Trigger.Change),
    onPosedge: fanOut((t) => t === Trigger.Posedge || t === Trigger.AnyEdge),
    onNegedge: fanOut((t) => t === Trigger.Negedge || t === Trigger.AnyEdge),
    writes,
    reads,
    readsModule,
    moduleOf: Int32Array.from(moduleOf),
    moduleNets,
    combOrder,
    rank,
    wideOff,
    wideWords,
    totalWords,
  };
}
