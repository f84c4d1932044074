// The compiled back end against the interpreted reference (api.ts): on random designs with every
// kind of process, every net anybody observes has the same history on both, bit for bit, whatever
// is traced; the VCD files are identical; and untraced runs leave out exactly the dead timers.
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Net } from "../src/engine/Elaboration.js";
import type { Module } from "../src/engine/Module.js";
import { Simulator } from "../src/engine/Simulator.js";
import { VcdTrace } from "../src/engine/VcdTrace.js";
import { netValue } from "./support/recorder.js";
import { arbTimedDesign, TimedDesign, type TimedDesignSpec } from "./support/randomTimedDesign.js";
import { MAX_TIME_PS, type Backend } from "../src/engine/api.js";

const RUNS = { numRuns: 150 };
const UNTIL_PS = 120;

/** A trace sink keeping every sampled value of the nets it wants, by net id. */
function recordWanted(sim: Simulator, wanted: (net: Net) => boolean): Map<number, string[]> {
  const history = new Map<number, string[]>();
  for (const net of sim.design.nets) if (wanted(net)) history.set(net.id, [`0=${netValue(sim, net.id)}`]);
  sim.attachTrace({
    fromPs: 0,
    toPs: MAX_TIME_PS,
    point: () => {},
    sample: (t, changed, n) => {
      for (let i = 0; i < n; i++) history.get(changed[i])!.push(`${t}=${netValue(sim, changed[i])}`);
    },
    close: () => {},
  }, wanted);
  return history;
}

/**
 * Runs the design on `backend`, tracing the nets whose id `traced` picks; returns the histories, the
 * sink's record and, for a design whose feedback never settles, the error's kind and its time.
 */
function run(spec: TimedDesignSpec, backend: Backend, traced: (id: number) => boolean, shuffleSeed?: number) {
  const dut = new TimedDesign(spec);
  const sim = new Simulator(dut, { backend, shuffleSeed });
  const history = recordWanted(sim, (net) => traced(net.id));
  let error = "";
  try {
    sim.run(UNTIL_PS);
  } catch (e) {
    // the nets named after "still changing" come in the order they were written, which is the back end's
    error = (e as Error).message.replace(/; still changing: .*/, "");
  }
  sim.close();
  return { history, sunk: dut.sunk, sim, error };
}

let dir = "";
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "backends-"))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("compiled back end against the interpreted reference", () => {
  it("every traced net has the same history and the sink reads the same values, whatever is traced and in any evaluation order", () => {
    fc.assert(
      fc.property(arbTimedDesign(), fc.array(fc.boolean(), { maxLength: 16 }), fc.option(fc.nat(), { nil: undefined }), (spec, pick, seed) => {
        const traced = (id: number) => pick[id % Math.max(1, pick.length)] === true;
        const reference = run(spec, "interpreted", () => true);
        const compiled = run(spec, "compiled", traced, seed);
        expect(compiled.error).toBe(reference.error);
        if (reference.error !== "") return; // the same oscillation, found at the same time
        expect(compiled.sunk).toEqual(reference.sunk);
        for (const [id, history] of compiled.history) expect(history, compiled.sim.netName(id)).toEqual(reference.history.get(id));
        // nothing traced but the sink's reads: still the same record
        expect(run(spec, "compiled", () => false, seed).sunk).toEqual(reference.sunk);
      }),
      RUNS,
    );
  });

  it("a VCD of every signal is the same file from both back ends", () => {
    fc.assert(
      fc.property(arbTimedDesign(), (spec) => {
        // the file's bytes, or for a design whose feedback never settles the error's kind and time
        const bytes = (backend: Backend) => {
          const file = join(dir, `${backend}.vcd`);
          const sim = new Simulator(new TimedDesign(spec), { backend });
          new VcdTrace(sim, file, { date: "fixed" });
          try {
            sim.run(UNTIL_PS);
          } catch (e) {
            return (e as Error).message.replace(/; still changing: .*/, "");
          } finally {
            sim.close();
          }
          return readFileSync(file).toString("latin1");
        };
        expect(bytes("compiled") === bytes("interpreted")).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it("untraced, a timer whose nodes nobody reads never runs; the others run as often as on the reference", () => {
    let deadSeen = 0;
    fc.assert(
      fc.property(arbTimedDesign(), (spec) => {
        const runs = (backend: Backend) => {
          const dut = new TimedDesign(spec);
          const counts = new Map<string, number>();
          // count the runs of every process, wrapped before the simulator takes them
          const wrap = (m: Module): void => {
            for (const p of m.processes) {
              const inner = p.run;
              (p as { run: () => void }).run = () => {
                counts.set(p.label, (counts.get(p.label) ?? 0) + 1);
                inner();
              };
            }
            m.children.forEach(wrap);
          };
          wrap(dut);
          try {
            new Simulator(dut, { backend }).run(UNTIL_PS);
          } catch {
            counts.set("unsettled", 1); // an oscillating design: the first test compares those
          }
          return counts;
        };
        const reference = runs("interpreted");
        const compiled = runs("compiled");
        if (reference.has("unsettled")) return;
        spec.timers.forEach((_, j) => {
          const owned = new Set(spec.nodes.flatMap((n, i) => (n.kind === "timer" && n.timer === j ? [i] : [])));
          // what the always-live processes read (combs, registers, the sink), and what the other timers read
          const liveReads = [...spec.sinkReads, ...spec.nodes.flatMap((n) => (n.kind === "comb" ? n.args : n.kind === "reg" ? [...n.args, n.clockOf] : []))];
          const timerReads = spec.timers.flatMap((t, k) => (k === j ? [] : [t.delayFrom, ...spec.nodes.flatMap((n) => (n.kind === "timer" && n.timer === k ? n.args : []))]));
          const label = `timer${j}`;
          const readBy = (list: number[]) => list.some((i) => owned.has(i));
          // its probe is read by nobody: it is dead unless one of its nodes is read
          if (!readBy(liveReads) && !readBy(timerReads)) {
            expect(compiled.get(label) ?? 0, `${label} is dead`).toBe(0);
            deadSeen++;
          }
          if (readBy(liveReads)) expect(compiled.get(label) ?? 0, label).toBe(reference.get(label) ?? 0);
        });
      }),
      RUNS,
    );
    expect(deadSeen, "dead timers among the runs").toBeGreaterThan(30);
  });
});
