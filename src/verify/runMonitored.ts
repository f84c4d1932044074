// Runs a design with its checkers and, when a monitor fails, traces the window around the first
// failure: the design is built and run again (runs are deterministic) with a VCD of the ticks
// before and after it, and a GTKWave save file showing the failing monitor's signals.
import { SignalKind } from "../engine/api.js";
import { writeGtkwSaveFile, type GtkwFormat } from "../engine/GtkwSaveFile.js";
import type { Module } from "../engine/Module.js";
import { runInterruptible } from "../engine/runInterruptible.js";
import type { Signal } from "../engine/Signal.js";
import { Simulator } from "../engine/Simulator.js";
import { VcdTrace } from "../engine/VcdTrace.js";
import { SimulationError } from "../errors.js";
import type { Checker, MonitorFailure } from "./Checker.js";

/** A design and the checkers inside it. */
export interface MonitoredDesign {
  readonly top: Module;
  readonly checkers: readonly Checker[];
}

/** Where and how wide the trace of a failure is. */
export interface FailureTraceOptions {
  vcd: string;
  /** A GTKWave save file for it, showing the clock and the failing monitor's signals. */
  gtkw?: string;
  /** Clock ticks before and after the failure (default 20). */
  ticks?: number;
  /** Globs of the signals traced (all when absent), as VcdTrace takes them. */
  signals?: string;
}

/** Options of runMonitored. */
export interface MonitoredRunOptions {
  /** Run until this time at most (a design may end earlier with finish()). */
  untilPs: number;
  /** Trace the window around the first failure. */
  failureTrace?: FailureTraceOptions;
  onProgress?: (nowPs: number) => void;
}

/** How a monitored run went. */
export interface MonitoredRun<D extends MonitoredDesign> {
  design: D;
  sim: Simulator;
  /** The failures every checker kept, by time. */
  failures: MonitorFailure[];
  /** Every failure, counted. */
  failureCount: number;
  interrupted: boolean;
  endPs: number;
  /** The window traced around the first failure, when asked for and there was one. */
  trace?: { fromPs: number; toPs: number };
}

/** The checker a failure comes from. */
function checkerOf(checkers: readonly Checker[], failure: MonitorFailure): Checker | undefined {
  return checkers.find((c) => failure.monitor.startsWith(`${c.path}.`));
}

/** The failures of several checkers, by time (then in checker order). */
export function failuresOf(checkers: readonly Checker[]): MonitorFailure[] {
  return checkers.flatMap((c) => c.failures).sort((a, b) => a.timePs - b.timePs);
}

/** Builds the design with `build`, runs it, and traces the first failure's window when asked. */
export async function runMonitored<D extends MonitoredDesign>(build: () => D, options: MonitoredRunOptions): Promise<MonitoredRun<D>> {
  const design = build();
  const sim = new Simulator(design.top);
  const outcome = await runInterruptible(sim, options.untilPs, { onProgress: options.onProgress });
  const failures = failuresOf(design.checkers);
  const run: MonitoredRun<D> = {
    design,
    sim,
    failures,
    failureCount: design.checkers.reduce((n, c) => n + c.failureCount, 0),
    interrupted: outcome.interrupted,
    endPs: outcome.endPs,
  };
  if (failures.length > 0 && options.failureTrace !== undefined && !outcome.interrupted) {
    const periodPs = checkerOf(design.checkers, failures[0])?.periodPs ?? 0;
    run.trace = await traceFailure(build, failures[0], periodPs, options.failureTrace);
  }
  return run;
}

/**
 * Runs a fresh design from `build` again with a VCD of `ticks` clock periods either side of
 * `failure` (and a save file, when asked); checks that the run fails the same way.
 */
export async function traceFailure<D extends MonitoredDesign>(
  build: () => D,
  failure: MonitorFailure,
  periodPs: number,
  o: FailureTraceOptions,
): Promise<{ fromPs: number; toPs: number }> {
  const span = (o.ticks ?? 20) * periodPs;
  const fromPs = Math.max(0, failure.timePs - span);
  const toPs = failure.timePs + span;
  const design = build();
  const sim = new Simulator(design.top);
  new VcdTrace(sim, o.vcd, { fromPs, toPs, signals: o.signals, version: `gaincell: trace of ${failure.monitor} failing at ${failure.timePs} ps` });
  const outcome = await runInterruptible(sim, toPs);
  const again = failuresOf(design.checkers)[0];
  if (again === undefined || again.monitor !== failure.monitor || again.timePs !== failure.timePs) {
    throw new SimulationError(`tracing ${failure.monitor}'s failure at ${failure.timePs} ps: the second run ${again === undefined ? "did not fail" : `failed differently (${again.message})`}; does the design depend on something outside it (time, randomness not seeded)?`);
  }
  if (o.gtkw !== undefined) {
    const byPath = new Map<string, Signal>();
    const walk = (m: Module) => {
      m.signals.forEach((s) => byPath.set(s.path, s));
      m.children.forEach(walk);
    };
    walk(design.top);
    const checker = checkerOf(design.checkers, failure);
    const shown = [...(checker ? [checker.clk] : []), ...failure.signals.map((s) => byPath.get(s.path)!)];
    const traces = shown.map((signal) => ({ signal, format: formatOf(signal), names: checker?.valueNames(signal) }));
    writeGtkwSaveFile([{ name: `${failure.monitor} fails at ${failure.timePs} ps`, traces }], {
      dumpFile: o.vcd,
      saveFile: o.gtkw,
      startPs: fromPs,
      endPs: Math.min(toPs, outcome.endPs),
      comment: [`${failure.message}`, "The paths below are placeholders: GTKWave opens the trace at the same place relative to this file."],
    });
  }
  return { fromPs, toPs };
}

function formatOf(s: Signal): GtkwFormat {
  if (s.kind === SignalKind.Real) return "analog";
  if (s.kind === SignalKind.WideVec) return "hex";
  return s.width === 1 ? "binary" : "decimal";
}
