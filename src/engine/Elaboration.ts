// Elaboration: walks the module tree once, joins connected handles into nets, numbers nets and
// processes, checks drivers, ranks the combinational processes, and builds the static fan-out
// tables the scheduler runs on.
import { DriverConflict, ElaborationError } from "./errors.js";
import { SignalKind, Trigger } from "./api.js";
import { rankCombinational } from "./combRank.js";
import type { Module, Process } from "./Module.js";
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

/** Compressed sparse rows: the processes woken by net `i` are `procs[start[i] .. start[i+1])`. */
export interface FanOut {
  readonly start: Int32Array;
  readonly procs: Int32Array;
}

/** The flattened, numbered design. */
export interface Elaborated {
  readonly top: Module;
  readonly modules: Module[];
  readonly nets: Net[];
  readonly processes: Process[];
  /** Driving process of each net, −1 if none (a testbench input). */
  readonly driver: Int32Array;
  readonly onChange: FanOut;
  /** Processes woken by a rising edge: posedge and anyedge ones. */
  readonly onPosedge: FanOut;
  /** Processes woken by a falling edge: negedge and anyedge ones. */
  readonly onNegedge: FanOut;
  /** Combinational process ids in rank order: each after every comb process whose output it reads. */
  readonly combOrder: Int32Array;
  /** Rank of each process (0: reads no comb output), −1 for clocked and timed processes. */
  readonly rank: Int32Array;
  /** Word offset of each wide net in the word store, −1 for narrow nets. */
  readonly wideOff: Int32Array;
  readonly wideWords: Int32Array;
  readonly totalWords: number;
}

/** Flattens `top` into numbered nets and processes; throws ElaborationError on a wiring mistake. */
export function elaborate(top: Module): Elaborated {
  const modules: Module[] = [];
  const walk = (m: Module) => {
    modules.push(m);
    m.children.forEach(walk);
  };
  walk(top);

  const handles: Signal[] = [];
  const index = new Map<Signal, number>();
  for (const m of modules) for (const s of m.signals) {
    index.set(s, handles.length);
    handles.push(s);
  }
  const parent = handles.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (const m of modules) for (const [a, b] of m.connections) {
    const ia = index.get(a);
    const ib = index.get(b);
    if (ia === undefined || ib === undefined) {
      const stray = ia === undefined ? a : b;
      throw new ElaborationError(`${m.path}: connects ${stray.path}, which is not inside ${top.path}`);
    }
    const ra = find(ia);
    const rb = find(ib);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }

  const nets: Net[] = [];
  const netOfRoot = new Map<number, Net>();
  handles.forEach((h, i) => {
    const root = find(i);
    let net = netOfRoot.get(root);
    if (!net) {
      net = { id: nets.length, handles: [], kind: h.kind, width: h.width, unit: h.unit };
      netOfRoot.set(root, net);
      nets.push(net);
    }
    net.handles.push(h);
  });
  const netOf = (s: Signal) => netOfRoot.get(find(index.get(s)!))!;

  const processes: Process[] = [];
  for (const m of modules) for (const p of m.processes) {
    p.id = processes.length;
    processes.push(p);
  }

  const driver = new Int32Array(nets.length).fill(-1);
  for (const p of processes) {
    for (const s of [...p.writes, ...p.sensitivity]) {
      if (!index.has(s)) throw new ElaborationError(`${p.path}: uses ${s.path}, which is not inside ${top.path}`);
    }
    for (const s of p.writes) {
      if (s.direction === "in" && s.owner === p.owner) {
        throw new ElaborationError(`${p.path}: writes its own module's input port ${s.path}`);
      }
      const id = netOf(s).id;
      const other = driver[id];
      if (other >= 0 && other !== p.id) {
        throw new DriverConflict(
          `${s.path} has two drivers: ${processes[other].path} and ${p.path}; a net has exactly one`,
        );
      }
      driver[id] = p.id;
    }
  }

  const fanOut = (...triggers: Trigger[]): FanOut => {
    const lists: number[][] = nets.map(() => []);
    for (const p of processes) {
      if (!triggers.includes(p.trigger)) continue;
      for (const s of p.sensitivity) {
        const list = lists[netOf(s).id];
        if (list[list.length - 1] !== p.id) list.push(p.id);
      }
    }
    const start = new Int32Array(nets.length + 1);
    lists.forEach((l, i) => (start[i + 1] = start[i] + l.length));
    return { start, procs: Int32Array.from(lists.flat()) };
  };

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
    readsOf: (p) => processes[p].sensitivity.map((s) => netOf(s).id),
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
    onChange: fanOut(Trigger.Change),
    onPosedge: fanOut(Trigger.Posedge, Trigger.AnyEdge),
    onNegedge: fanOut(Trigger.Negedge, Trigger.AnyEdge),
    combOrder,
    rank,
    wideOff,
    wideWords,
    totalWords,
  };
}
