// The compiled scheduler, the default back end: when the run starts it generates the design's
// evaluation as straight-line JavaScript (scheduleSource.ts) and leaves out what nobody observes:
// unobserved nets are never committed and timers writing only those are never armed (api.ts).
// GAINCELL_DUMP_SCHEDULE=DIR writes the generated source to DIR, and stack traces name its lines.
import { createHash } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DeltaCycles, shuffle } from "./DeltaCycles.js";
import { describedSource } from "./describedSource.js";
import type { Elaborated } from "./Elaboration.js";
import { SimulationError } from "./errors.js";
import { observe, type Observation } from "./observation.js";
import { mulberry32 } from "./prng.js";
import { CommitMode, scheduleSource, type ScheduleSource } from "./scheduleSource.js";
import type { SignalStore } from "./SignalStore.js";

/** Environment variable naming a folder to write each generated schedule to. */
export const DUMP_SCHEDULE_ENV = "GAINCELL_DUMP_SCHEDULE";

// Schedules made lately, by a hash of their source. A design built again (a benchmark's next run,
// the heads of a layer run one after another) gets the same function back, and V8 keeps the
// optimised code of its inner functions with it, so it does not warm up again.
const FACTORIES_KEPT = 32;
const factories = new Map<string, (...args: unknown[]) => unknown>();

/** What the generated code hands back (the `return` at the end of its source). */
interface ScheduleCode {
  update(): void;
  evaluate(): void;
  wake(group: number): void;
  woken(): boolean;
  ran(): boolean;
  wokenGroups(): number[];
  /** Per process: 1 while a fused process is due in its follower group. */
  dirty: Uint8Array;
  running(): number;
  evaluations(): number;
}

/** Delta cycles run by code generated for one design. */
export class CompiledSchedule extends DeltaCycles {
  private code: ScheduleCode | null = null;
  private source: ScheduleSource | null = null;
  private groupProcs: readonly number[][] = [];
  private dead: Uint8Array | null = null;
  // Nets the testbench reads (Simulator.observe): kept like traced ones.
  private readonly kept: Uint8Array;

  constructor(design: Elaborated, store: SignalStore, deltaLimit: number, private readonly shuffleSeed: number | undefined) {
    super(design, store, deltaLimit);
    this.kept = new Uint8Array(design.nets.length);
  }

  get evaluations(): number {
    return this.code === null ? 0 : this.code.evaluations();
  }

  /** Keeps net `id` observed for the testbench, as a trace would (before the run). */
  keep(id: number): void {
    this.kept[id] = 1;
  }

  start(): void {
    const d = this.design;
    const kept = this.kept.slice();
    for (let id = 0; id < kept.length; id++) kept[id] |= this.traced[id];
    const { seen, src, fn } = plan(d, kept, this.traced, this.shuffleSeed);
    this.dead = seen.dead;
    this.source = src;
    this.groupProcs = src.groups;
    const random = this.shuffleSeed === undefined ? null : mulberry32(this.shuffleSeed);
    const runs = d.processes.map((p) => p.run);
    const tables = { mode: src.mode, rise: src.rise, fall: src.fall, change: src.change, traced: this.traced, solo: src.solo, guarded: src.guarded, hasCommits: src.hasCommits };
    this.code = fn(runs, this.store, { changed: this.changed, random, shuffle }, tables) as ScheduleCode;
    this.silence(seen.observed, src.direct);
  }

  enqueue(p: number): void {
    const g = this.source === null ? -1 : this.source.timerGroup[p];
    if (g >= 0) this.code!.wake(g);
  }

  enqueueCombinational(): void {
    const g = this.source!.startGroup;
    if (g >= 0) this.code!.wake(g);
  }

  override risesOnly(id: number): boolean {
    return this.source !== null && this.source.mode[id] === CommitMode.Rises;
  }

  runsTimer(proc: number): boolean {
    return this.dead === null || this.dead[proc] === 0;
  }

  protected get woken(): boolean {
    return this.code !== null && this.code.woken();
  }

  // the groups that ran commit their own writes; the others come through the pending list
  protected get written(): boolean {
    return this.store.nPending > 0 || (this.code !== null && this.code.ran());
  }

  protected wokenNames(max: number): string[] {
    const { fused } = this.source!;
    const { dirty } = this.code!;
    const procs = this.code!.wokenGroups().flatMap((g) => this.groupProcs[g].filter((p) => fused[p] === 0 || dirty[p] === 1));
    return procs.slice(0, max).map((p) => this.design.processes[p].path);
  }

  protected evaluate(nowPs: number): void {
    const code = this.code!;
    try {
      code.evaluate();
    } catch (e) {
      const p = code.running();
      if (p < 0) throw e;
      throw this.inProcess(p, e, nowPs);
    }
  }

  protected update(): void {
    this.code!.update();
  }

  // Unobserved nets, and the nets their writers' groups commit, stay marked pending for good: a
  // write to one is a store and a compare, and the pending list never holds it. An unobserved narrow
  // net reads NaN from now on: it holds no value (api.ts).
  private silence(observed: Uint8Array, direct: Uint8Array): void {
    const s = this.store;
    let n = 0;
    for (let i = 0; i < s.nPending; i++) if (observed[s.pending[i]] === 1) s.pending[n++] = s.pending[i];
    s.nPending = n;
    for (let id = 0; id < observed.length; id++) {
      if (observed[id] === 1 && direct[id] === 0) continue;
      s.isPending[id] = 1;
      if (observed[id] === 0 && s.wideOff[id] < 0) s.cur[id] = NaN;
    }
  }
}

/** What a design's schedule is made of: who observes what, the source, and the function made from it. */
interface Plan {
  seen: Observation;
  src: ScheduleSource;
  fn: (...args: unknown[]) => unknown;
}

// Plans made lately, by a hash of the elaborated tables they are made from: the heads of a layer run
// apart, or a benchmark's runs, are the same design built again, and need not be planned again.
const plans = new Map<string, Plan>();

function plan(d: Elaborated, kept: Uint8Array, traced: Uint8Array, shuffleSeed: number | undefined): Plan {
  const key = planKey(d, kept, traced, shuffleSeed);
  const cached = plans.get(key);
  if (cached !== undefined) return cached;
  const seen = observe(d, kept);
  const random = shuffleSeed === undefined ? null : mulberry32(shuffleSeed);
  const permute = random === null ? undefined : (procs: number[]) => shuffle(procs, procs.length, random);
  const src = scheduleSource(d, seen, traced, permute);
  const made = { seen, src, fn: compile(src.body, d.top.path) };
  if (plans.size === FACTORIES_KEPT) plans.delete(plans.keys().next().value!);
  plans.set(key, made);
  return made;
}

// Everything observation and the source depend on: the tables, each process's trigger, the nets
// kept and traced, the shuffle seed, the names the source's comments use, and the described
// processes' code (as if no net were held: which are follows from the rest).
function planKey(d: Elaborated, kept: Uint8Array, traced: Uint8Array, shuffleSeed: number | undefined): string {
  const h = createHash("sha1");
  const add = (a: Int32Array | Uint8Array) => h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  for (const rows of [d.onChange, d.onPosedge, d.onNegedge, d.writes, d.reads, d.moduleNets]) {
    add(rows.start);
    add(rows.items);
  }
  for (const a of [d.readsModule, d.moduleOf, d.combOrder, d.rank, d.driver, d.wideOff, d.wideWords, kept, traced]) add(a);
  add(Uint8Array.from(d.processes, (p) => p.trigger));
  add(Uint8Array.from(d.processes, (p) => (p.drivesClock ? 1 : 0)));
  h.update(`${shuffleSeed} ${d.top.path} ${d.processes.map((p) => p.path).join(" ")}`);
  const unheld = { wideOff: d.wideOff, held: () => false };
  for (const p of d.processes) if (p.description !== null) h.update(`\n${p.id}:${describedSource(p.description, unheld).join("\n")}`);
  return h.digest("hex");
}

/**
 * `new Function` over the body, named by a `//# sourceURL` so stack traces point into it: the file
 * it is written to when GAINCELL_DUMP_SCHEDULE is set (temporary file + rename), else a name of its own.
 */
function compile(body: string, topPath: string): (...args: unknown[]) => unknown {
  const hash = createHash("sha1").update(body).digest("hex").slice(0, 12);
  const cached = factories.get(hash);
  if (cached !== undefined) return cached;
  const name = `${topPath.replace(/[^A-Za-z0-9_]/g, "_")}-${hash}.js`;
  const dir = process.env[DUMP_SCHEDULE_ENV];
  const url = dir ? resolve(dir, name) : `gaincell-schedule/${name}`;
  const fn = new Function("P", "S", "K", "T", `${body}\n//# sourceURL=${url}`) as (...args: unknown[]) => unknown;
  if (dir) {
    try {
      mkdirSync(dir, { recursive: true });
      const tmp = join(dir, `.${name}.${process.pid}.tmp`);
      writeFileSync(tmp, fn.toString());
      renameSync(tmp, url);
    } catch (e) {
      throw new SimulationError(`${DUMP_SCHEDULE_ENV}=${dir}: cannot write the schedule ${name}: ${(e as Error).message}`);
    }
  }
  if (factories.size === FACTORIES_KEPT) factories.delete(factories.keys().next().value!);
  factories.set(hash, fn);
  return fn;
}
