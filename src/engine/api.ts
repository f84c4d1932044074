// The engine's contract: time, signal kinds, processes and the scheduler's guarantees, in one place.
//
// Semantics (SystemC-style evaluate/update, Verilog non-blocking registers):
// - Time is an integer number of picoseconds, at most MAX_TIME_PS; scheduling past it is an error.
// - A time step runs delta cycles until nothing is pending. A delta has two phases:
//   update (commit every written signal; wake the processes sensitive to what changed) and
//   evaluate (run the woken processes; they read committed values and write next values).
//   So every register written at a clock edge is seen by everyone at the same time.
// - Processes: clocked (`always`, woken by a rising, a falling or either edge of a 1-bit signal),
//   combinational (`comb`, woken by any change of what it reads, and run once at the start) and
//   timed (`timer`, woken only by its timer).
// - A timer holds at most one wake-up. `after(dt)` arms it dt ps from now (0: the next delta of this
//   time step), replacing the one pending; `cancel()` drops it. A replaced or cancelled wake-up never
//   runs. A process woken by its timer may arm it again.
// - Combinational processes are ranked when the model is built: a topological order over the nets
//   they read and write (Elaborated.combOrder). A combinational loop, a comb process that depends
//   through comb processes on a net it writes, is an ElaborationError naming the processes on the
//   loop. Clocked and timed processes break loops, as registers do; feedback through them that never
//   settles is reported at run time after `deltaLimit` delta cycles, naming the signals.
// - Stimulus (Simulator.poke, timed wake-ups) due at time t is written before the first update
//   phase of step t, together with clock edges: a register clocked at t sees stimulus applied at t.
// - The trace samples each signal once per time step, after the last update phase.
// - Waveforms between commits: a block may show how an analog output it drives moves between two of
//   its commits (an integrator's charge ramping as its input pulses end). It declares the output
//   piecewise linear (Module.piecewiseLinear) and, while the run goes, hands the trace a vertex of its
//   waveform at the current time (Module.tracePoint). Vertices go to the trace only: no process
//   sees them, so tracing never changes what a design computes. The trace draws such an output
//   through its vertices; a commit without a vertex at its time is a step (the old value is held up
//   to 1 ps before it). A block asks whether the trace records an output (Module.traced, known from
//   the start of the run, with the trace's time window) and skips the work when not: an untraced
//   run pays nothing for it, nor does a trace that draws steps only (TraceSink.drawsVertices). Both back ends give the same vertices; a traced net is observed (see
//   Observation), so the compiled back end runs the process that gives them.
// - Buses: a process that reads or drives many signals at once (an array's 64 pulse widths, a row
//   of counters) groups them in a bus (Module.busOf, Bus.ts): real nodes (RealBus: read into and
//   write from a Float64Array in one call) or bits and vectors of one width (VecBus: set(i, v),
//   read). A bus is only a faster way in: it reads and writes exactly as the signals' own get() and
//   set() do, with the same checks, and reads through it still need declaring as above.
// - finish() (Verilog's $finish) ends the run after the current time step has settled.
// - Every net has at most one driving process; that is checked when the model is built. The
//   interpreted back end also checks every write at run time (a process writing a signal it did not
//   declare is an error when it happens); the compiled one does not.
// - Reads and effects (what lets the compiled back end leave work out): a process reads what wakes
//   it plus either the signals it declares in `reads` or, if it declares none, any signal of its own
//   module (`always`, `comb` and `timer` take `reads`; `{ reads: [] }` for a comb process: what wakes
//   it only). A process that reads a signal of another module declares its reads. A process's only
//   effects are its declared writes (one that writes nothing is a sink, e.g. a testbench collector).
// - Observation: a net is observed when it is traced, kept for the testbench (Simulator.observe),
//   driven by no process (a testbench input), wakes a process, or is read by a live process other
//   than its driver (the driver's own reads count once it is live for another write). A timer
//   whose every write is unobserved is dead: it is never armed. The compiled back end never commits
//   an unobserved net: a write to it costs a store, and it holds no value (a narrow net reads NaN,
//   a wide one its initial words). So an untraced run does not pay for signals nobody reads (pulse
//   edges, word lines), and a trace that asks for them gets them as the interpreted back end does.
//   Likewise a clock (Module.clock) that nothing can see low — not traced or kept, waking nothing on
//   a fall or a change, and read by no live process but those its rise wakes (they run while it is
//   high) — is simulated at its rises only in the compiled back end: a time step per period, not two.
//   Its net reads 1 from the first rise on: a process that reads a clock's level declares it, and a
//   testbench that reads it observes it (Simulator.observe), as for any net it reads.
// - Described processes (Module.described, Module.describedComb; Description.ts): a clocked or
//   combinational process given as a tree of statements built once by its module, like an Amaranth
//   or Verilog always block: `r.when(r.eq(load, 1), () => r.assign(count, code)).orWhen(…).otherwise(…)`.
//   Expressions: constants (integers 0..2^32 − 1), Bit and Vec signals (their committed value),
//   fields of a WideVec (`r.bits(w, lo, width)`, width ≤ 32; `r.word(w, i)`), locals, add, sub,
//   and, or, xor, not, shl, shr (0 for a shift ≥ 32), eq, ne, lt (1 or 0) and mux. Every value is
//   an unsigned 32-bit integer: add, sub, not and shl wrap modulo 2^32. Statements: `assign` to a
//   Bit, a Vec or a field is non-blocking and wraps the value to the target's width exactly as
//   `set` does (a field write keeps the signal's other bits, as `setBits`); `local(init)` and
//   `assign(local, v)` are blocking, seen at once by what follows; a local is 0 at the start of
//   every run until assigned. `when`/`orWhen`/`otherwise` is if/else-if/else (a condition holds
//   when not 0). What the process reads and writes is found in the tree: a clocked one reads its
//   edge plus those, a combinational one is sensitive to exactly what it reads, so the single-driver
//   check, ranking and the comb-loop error apply unchanged. The interpreted back end walks the tree
//   through the handles (every write checked against its driver); the compiled one writes it into
//   its schedule as straight-line code on the store's arrays. A described process and closures mix
//   freely in a design, and give the same values on both back ends.

/** Integer picoseconds. */
export type TimePs = number;

/** Largest representable time: integer picoseconds stay exact up to 2^53 − 1. */
export const MAX_TIME_PS: TimePs = Number.MAX_SAFE_INTEGER;

/** What a signal carries. */
export enum SignalKind {
  /** 1-bit logic value, 0 or 1. */
  Bit = 0,
  /** Unsigned bit vector of 1..32 bits, held as a number. */
  Vec = 1,
  /** Unsigned bit vector wider than 32 bits, held as 32-bit words. */
  WideVec = 2,
  /** Real-valued analog node with a unit. */
  Real = 3,
}

/** Widest vector held in one number; wider vectors use 32-bit words. */
export const NARROW_MAX_WIDTH = 32;

/** How a process is woken. */
export enum Trigger {
  /** Any change of a signal it reads (combinational). */
  Change = 0,
  /** A rising edge (0→1) of a 1-bit signal. */
  Posedge = 1,
  /** A falling edge (1→0) of a 1-bit signal. */
  Negedge = 2,
  /** Only when its timer expires. */
  Timer = 3,
  /** Either edge (0→1 or 1→0) of a 1-bit signal; unlike Change, not run at the start and never ranked. */
  AnyEdge = 4,
}

/**
 * How a simulator evaluates the design: "compiled" generates straight-line code for it when the run
 * starts and leaves out what nobody observes; "interpreted" is the reference: generic tables, every
 * net committed, every timer armed and every write checked against its driver. Both give the same
 * values, bit for bit, on every net anybody observes.
 */
export type Backend = "compiled" | "interpreted";

/** Options of a simulator. */
export interface SimulatorOptions {
  /** Delta cycles allowed in one time step before feedback that never settles is reported. */
  deltaLimit?: number;
  /** When set, the processes woken in each delta run in an order shuffled with this seed. */
  shuffleSeed?: number;
  /** The back end; default "compiled". */
  backend?: Backend;
}

/** Receives the settled values of traced nets, once per time step, and the end of the run. */
export interface TraceSink {
  /** First time the sink records, ps: what happens before only sets the values it starts from. */
  readonly fromPs: TimePs;
  /** Last time the sink records, ps. */
  readonly toPs: TimePs;
  /**
   * Called when simulated time leaves `timePs` (and once more at the end): `changed[0..nChanged)`
   * are the traced nets committed with a new value since the previous call, in ascending net id.
   * Also called, maybe with nothing changed, after a time step that gave vertices.
   */
  sample(timePs: TimePs, changed: Int32Array, nChanged: number): void;
  /**
   * A vertex of traced net `net`'s waveform (piecewise linear, see above) at the current time step,
   * which the next `sample` call names; a later vertex of the net in the same step replaces it.
   */
  point(net: number, value: number): void;
  /** Called once when the run ends, normally or not; `endPs` is the last simulated time. */
  close(endPs: TimePs): void;
  /**
   * False when the sink draws every net as steps and takes no vertices (VcdOptions.waveforms
   * "steps"): blocks then do no work for waveforms between commits. True when absent.
   */
  readonly drawsVertices?: boolean;
}

/** What the modules and timers of a design see of the simulator that runs it. */
export interface Scheduler {
  /** Current simulated time, ps. */
  readonly now: TimePs;
  /** Ends the run once the current time step has settled. */
  finish(): void;
  /** Arms process `proc`'s timer to wake it `delayPs` (an integer ≥ 0) from now, replacing a pending wake-up. */
  armTimer(proc: number, delayPs: TimePs): void;
  /** Drops process `proc`'s pending timer wake-up, if any. */
  cancelTimer(proc: number): void;
  /** True when the trace records net `net` at some time in [fromPs, toPs] and takes its vertices (see "Waveforms between commits"). */
  traces(net: number, fromPs: TimePs, toPs: TimePs): boolean;
  /** Hands the trace a vertex of net `net` at the current time, if it records the net. */
  tracePoint(net: number, value: number): void;
  /** True when the clock on net `net` is simulated at its rises only: nothing can see it low (see Observation). */
  risesOnly(net: number): boolean;
}
