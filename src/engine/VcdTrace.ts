// A VCD trace of a simulation: scopes mirroring the module tree, a signal filter (globs on
// hierarchical names) and a time window; always a complete file, whether the run ends well or not,
// renamed into place only once closed (see OutputFile).
import { SignalKind, type TimePs, type TraceSink } from "./api.js";
import type { Net } from "./Elaboration.js";
import type { Module } from "./Module.js";
import { OutputFile } from "./OutputFile.js";
import { Real, type Signal } from "./Signal.js";
import type { Simulator } from "./Simulator.js";
import { outputDate } from "./sourceDate.js";
import { copyChangedWords } from "./SignalStore.js";
import { checkEveryGlobMatches, traceName, traceSelection } from "./traceSelection.js";
import { vcdCode, VcdWriter } from "./VcdWriter.js";

export { traceName, traceSelection };

/** What to trace and where. */
export interface VcdOptions {
  /**
   * Comma-separated globs on hierarchical names (`*` any run, `?` one character), matched against
   * a signal's path and its traced name (a real's with its unit, `charge_fC`); all when absent.
   * A glob that matches no signal is a SignalSelectionError naming a few close names.
   */
  signals?: string;
  /** Start of the window, ps: values at this time are the file's $dumpvars. */
  fromPs?: TimePs;
  /** End of the window, ps: nothing later is written. */
  toPs?: TimePs;
  /** Text of $date; when absent SOURCE_DATE_EPOCH's date, else the current one (see sourceDate.ts). */
  date?: string;
  /** Text of $version. */
  version?: string;
  /** Text of a $comment after $version (e.g. what was simulated); none when absent. */
  comment?: string;
  /**
   * "ramps" (the default): piecewise-linear nets are drawn through the vertices their modules give
   * (api.ts); "steps": every net is a step at its commits, and modules give no vertices, so a trace
   * of many ramping nets stays small and fast.
   */
  waveforms?: "ramps" | "steps";
}

/** Writes the traced nets of one simulator to a VCD file. */
export class VcdTrace implements TraceSink {
  private readonly out: VcdWriter;
  // per net its identifier code, null when not traced
  private readonly codes: (string | null)[];
  private readonly kinds: Uint8Array;
  private readonly lastNarrow: Float64Array;
  private readonly lastWide: Uint32Array;
  readonly fromPs: TimePs;
  readonly toPs: TimePs;
  readonly drawsVertices: boolean;
  // Piecewise-linear nets (api.ts): 1 per such net; the time of each net's last vertex written.
  private readonly pwl: Uint8Array;
  private readonly hasPwl: boolean;
  private readonly vertexPs: Float64Array;
  // The vertices given in the current time step: their nets, in the order given, and each net's value.
  private readonly pointNets: Int32Array;
  private readonly pointValues: Float64Array;
  private readonly hasPoint: Uint8Array;
  private nPoints = 0;
  private started = false;
  private lastWritten = -1;
  private closed = false;
  /** True when the trace opened its file, and so renames it into place. */
  private readonly owned: boolean;

  /**
   * Writes the header to `file` and attaches to `sim` (before its first run). Given a path, the trace
   * opens it and renames it into place when closed; given an OutputFile, it finishes it when closed
   * and its owner commits it (so that it can appear together with other outputs).
   */
  constructor(private readonly sim: Simulator, file: string | OutputFile, options: VcdOptions = {}) {
    this.fromPs = options.fromPs ?? 0;
    this.toPs = options.toPs ?? Number.MAX_SAFE_INTEGER;
    const d = sim.design;
    const wanted = traceSelection(options.signals);
    checkEveryGlobMatches(options.signals, d.nets.flatMap((net) => net.handles));
    const date = options.date ?? outputDate().toISOString();
    const declared = new Map<Signal, string>();
    this.codes = d.nets.map(() => null);
    let n = 0;
    for (const net of d.nets) {
      const shown = net.handles.filter(wanted);
      if (shown.length === 0) continue;
      const code = vcdCode(n++);
      this.codes[net.id] = code;
      for (const h of shown) declared.set(h, code);
    }
    this.kinds = Uint8Array.from(d.nets, (net) => net.kind);
    this.drawsVertices = options.waveforms !== "steps";
    this.pwl = Uint8Array.from(d.nets, (net) => (this.drawsVertices && this.codes[net.id] !== null && net.handles.some((h) => h instanceof Real && h.piecewiseLinear) ? 1 : 0));
    this.hasPwl = this.pwl.includes(1);
    this.vertexPs = new Float64Array(d.nets.length).fill(-1);
    this.pointNets = new Int32Array(d.nets.length);
    this.pointValues = new Float64Array(d.nets.length);
    this.hasPoint = new Uint8Array(d.nets.length);
    this.lastNarrow = new Float64Array(d.nets.length);
    this.lastWide = new Uint32Array(d.totalWords);
    this.lastNarrow.set(sim.store.cur);
    this.lastWide.set(sim.store.wcur);
    this.owned = typeof file === "string";
    this.out = new VcdWriter(typeof file === "string" ? OutputFile.open(file) : file, this.codes);
    this.header(d.top, declared, date, options.version, options.comment);
    sim.attachTrace(this, (net: Net) => this.codes[net.id] !== null);
  }

  sample(timePs: TimePs, changed: Int32Array, nChanged: number): void {
    if (this.closed || timePs > this.toPs) return this.dropPoints();
    if (!this.started) {
      if (timePs < this.fromPs) {
        this.remember(changed, nChanged);
        return;
      }
      if (timePs > this.fromPs) {
        this.dumpAll(this.fromPs);
        this.changes(timePs, changed, nChanged);
      } else {
        this.remember(changed, nChanged);
        this.dumpAll(timePs);
      }
      return;
    }
    this.changes(timePs, changed, nChanged);
  }

  point(net: number, value: number): void {
    if (this.hasPoint[net] === 0) {
      this.hasPoint[net] = 1;
      this.pointNets[this.nPoints++] = net;
    }
    this.pointValues[net] = value;
  }

  close(endPs: TimePs): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.started) this.dumpAll(Math.min(endPs, this.fromPs));
      const end = Math.min(endPs, this.toPs);
      if (end > this.lastWritten) this.out.time(end);
    } finally {
      this.out.close();
    }
    if (this.owned) this.out.out.commit();
  }

  /** Bytes written to the file so far. */
  get bytesWritten(): number {
    return this.out.written;
  }

  /** Streams the declarations scope by scope: their size is bounded by the file, not by memory. */
  private header(top: Module, declared: Map<Signal, string>, date: string, version = "gaincell", comment?: string): void {
    const o = this.out;
    o.text(`$date\n\t${date}\n$end\n`);
    o.text(`$version\n\t${version}\n$end\n`);
    // "$end" would close the comment early; a VCD comment has no escape for it
    if (comment !== undefined) o.text(`$comment\n\t${comment.replace(/\$end/g, "$ end")}\n$end\n`);
    o.text(`$timescale\n\t1ps\n$end\n`);
    // a scope is declared only when it or a scope below it holds a traced signal
    const shown = new Set<Module>();
    const mark = (m: Module): boolean => {
      let any = m.signals.some((s) => declared.has(s));
      for (const c of m.children) if (mark(c)) any = true;
      if (any) shown.add(m);
      return any;
    };
    const scope = (m: Module): void => {
      o.text(`$scope module ${m.name} $end\n`);
      for (const s of m.signals) {
        const code = declared.get(s);
        if (code === undefined) continue;
        if (s.kind === SignalKind.Real) o.text(`$var real 64 ${code} ${traceName(s)} $end\n`);
        else if (s.width === 1) o.text(`$var wire 1 ${code} ${s.name} $end\n`);
        else o.text(`$var wire ${s.width} ${code} ${s.name} [${s.width - 1}:0] $end\n`);
      }
      for (const c of m.children) if (shown.has(c)) scope(c);
      o.text(`$upscope $end\n`);
    };
    if (mark(top)) scope(top);
    o.text(`$enddefinitions $end\n`);
  }

  /** Writes `#t`, then every traced value as $dumpvars: the values last seen (remember keeps them before the window). */
  private dumpAll(t: TimePs): void {
    const o = this.out;
    const s = this.sim.store;
    this.started = true;
    o.time(t);
    this.lastWritten = t;
    this.vertexPs.fill(t);
    o.text("$dumpvars\n");
    for (let id = 0; id < this.codes.length; id++) {
      if (this.codes[id] === null) continue;
      const off = s.wideOff[id];
      if (off >= 0) o.wide(this.lastWide, off, s.wideWords[id], id);
      else this.put(id, this.lastNarrow[id]);
    }
    o.text("$end\n");
  }

  // A time step in the window: piecewise-linear nets' holds (their old value 1 ps before a step),
  // the step's vertices, then the nets committed with a new value.
  private changes(t: TimePs, changed: Int32Array, n: number): void {
    const s = this.sim.store;
    const { cur, wcur, wideOff, wideWords } = s;
    const last = this.lastNarrow;
    const lastWide = this.lastWide;
    const { pwl, vertexPs, hasPoint } = this;
    if (this.hasPwl) {
      for (let i = 0; i < n; i++) {
        const id = changed[i];
        if (pwl[id] === 0 || hasPoint[id] === 1 || cur[id] === last[id] || vertexPs[id] >= t - 1) continue;
        this.at(t - 1);
        this.put(id, last[id]);
        vertexPs[id] = t - 1;
      }
    }
    for (let k = 0; k < this.nPoints; k++) {
      const id = this.pointNets[k];
      hasPoint[id] = 0;
      const v = this.pointValues[id];
      // a vertex is written even at the value shown: it is where a straight piece starts or ends
      this.at(t);
      last[id] = v;
      vertexPs[id] = t;
      this.put(id, v);
    }
    this.nPoints = 0;
    this.commits(t, changed, n);
  }

  // The nets committed with a new value in a time step: its hottest loop, kept small so that the
  // writer's methods inline into it.
  private commits(t: TimePs, changed: Int32Array, n: number): void {
    const { cur, wcur, wideOff, wideWords } = this.sim.store;
    const vertexPs = this.vertexPs;
    const last = this.lastNarrow;
    const lastWide = this.lastWide;
    for (let i = 0; i < n; i++) {
      const id = changed[i];
      const off = wideOff[id];
      if (off < 0) {
        const v = cur[id];
        if (v === last[id]) continue;
        last[id] = v;
        vertexPs[id] = t;
        this.at(t);
        this.put(id, v);
        continue;
      }
      if (!copyChangedWords(lastWide, wcur, off, wideWords[id])) continue;
      this.at(t);
      this.out.wide(wcur, off, wideWords[id], id);
    }
  }

  // Writes `#t` unless the file is at t already (times only increase).
  private at(t: TimePs): void {
    if (this.lastWritten === t) return;
    this.out.time(t);
    this.lastWritten = t;
  }

  // Vertices given before the window opens set the value it starts from; after it, or once closed, none is kept.
  private dropPoints(): void {
    for (let k = 0; k < this.nPoints; k++) this.hasPoint[this.pointNets[k]] = 0;
    this.nPoints = 0;
  }

  /** Keeps the latest values before the window opens, so the first dump shows the state at its start. */
  private remember(changed: Int32Array, n: number): void {
    const s = this.sim.store;
    // a step's vertices, then its commits, as the window would show them
    for (let k = 0; k < this.nPoints; k++) this.lastNarrow[this.pointNets[k]] = this.pointValues[this.pointNets[k]];
    this.dropPoints();
    for (let i = 0; i < n; i++) {
      const id = changed[i];
      const off = s.wideOff[id];
      if (off < 0) this.lastNarrow[id] = s.cur[id];
      else this.lastWide.set(s.wcur.subarray(off, off + s.wideWords[id]), off);
    }
  }

  private put(id: number, v: number): void {
    const kind = this.kinds[id];
    if (kind === SignalKind.Bit) this.out.bit(v, id);
    else if (kind === SignalKind.Vec) this.out.vec(v, id);
    else this.out.real(v, id);
  }
}
