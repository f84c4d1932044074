// Heads on worker threads (`gaincell attend --jobs N`), from the built CLI: the same bytes for any
// number of threads and for the traced one-design run, with the project's blocks or the user's
// (--blocks), and Ctrl-C or SIGTERM stops every thread and writes nothing.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPwm64Cli, ROOT } from "./support/build.js";
import { writeSoftBlocks } from "./support/softBlocks.js";

const EXIT_INTERRUPTED = 130;
let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "jobs-test-"));
  buildPwm64Cli(); // tsc into dist/, where the head worker's compiled file lives
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gaincell = (...args: string[]) => spawnSync("node", ["bin/gaincell.js", ...args], { cwd: ROOT, encoding: "utf8" });

describe("attend --jobs", () => {
  it("writes the same outputs and scores, byte for byte, on 1, 2 and 3 threads and as one traced design", () => {
    const size = ["attend", "--tokens", "30", "--heads", "3", "--dims", "6", "--window", "24", "--tile", "8", "--seed", "5"];
    const files = (name: string) => ["--out", join(dir, `${name}-A.npy`), "--scores", join(dir, `${name}-S.npy`)];
    const runs = [
      gaincell(...size, "--jobs", "1", ...files("j1")),
      gaincell(...size, "--jobs", "2", ...files("j2")),
      gaincell(...size, "--jobs", "3", ...files("j3")),
      gaincell(...size, "--vcd", join(dir, "t.vcd"), "--signals", "*.acc.*", ...files("traced")),
    ];
    runs.forEach((r) => expect(r.stderr).toBe(""));
    expect(runs.map((r) => r.status)).toEqual([0, 0, 0, 0]);
    expect(runs[0].stdout).toMatch(/^heads: one after another, in this thread$/m);
    expect(runs[1].stdout).toMatch(/^heads: apart, on 2 worker threads$/m);
    expect(runs[3].stdout).toMatch(/^heads: in one design, in this thread \(traced\)$/m);
    for (const kind of ["A", "S"]) {
      const [first, ...others] = ["j1", "j2", "j3", "traced"].map((n) => readFileSync(join(dir, `${n}-${kind}.npy`)));
      for (const other of others) expect(other.equals(first), kind).toBe(true);
    }
  });

  it("on a realised chip (mild, noise, token gaps, retention in time) each thread rebuilds its head's part: the same bytes as one traced design", () => {
    const size = ["attend", "--tokens", "24", "--heads", "3", "--dims", "5", "--window", "16", "--tile", "8", "--seed", "2"];
    const chip = ["--variation", "mild", "--variation-seed", "3", "--retention", "time", "--token-gap", "200ns"];
    const files = (name: string) => ["--out", join(dir, `chip-${name}-A.npy`), "--scores", join(dir, `chip-${name}-S.npy`)];
    const runs = [
      gaincell(...size, ...chip, "--jobs", "1", ...files("j1")),
      gaincell(...size, ...chip, "--jobs", "2", ...files("j2")),
      gaincell(...size, ...chip, "--vcd", join(dir, "chip.vcd"), "--signals", "*.acc.*", ...files("traced")),
      gaincell(...size, "--jobs", "2", "--out", join(dir, "chip-ideal-A.npy")),
    ];
    runs.forEach((r) => expect(r.stderr).toBe(""));
    expect(runs.map((r) => r.status)).toEqual([0, 0, 0, 0]);
    for (const kind of ["A", "S"]) {
      const [first, ...others] = ["j1", "j2", "traced"].map((n) => readFileSync(join(dir, `chip-${n}-${kind}.npy`)));
      for (const other of others) expect(other.equals(first), kind).toBe(true);
    }
    // not vacuous: the realised chip's outputs differ from the ideal chip's
    expect(readFileSync(join(dir, "chip-j2-A.npy")).equals(readFileSync(join(dir, "chip-ideal-A.npy")))).toBe(false);
  });

  it("swapped blocks (--blocks) are built in every thread: the same bytes on 1 and 2 threads and traced, not the project's", () => {
    const size = ["attend", "--tokens", "20", "--heads", "3", "--dims", "6", "--window", "16", "--tile", "8", "--seed", "4"];
    const blocks = ["--blocks", `${writeSoftBlocks(dir)}#mine`];
    const runs = [
      gaincell(...size, ...blocks, "--jobs", "1", "--out", join(dir, "soft-j1.npy")),
      gaincell(...size, ...blocks, "--jobs", "2", "--out", join(dir, "soft-j2.npy")),
      gaincell(...size, ...blocks, "--vcd", join(dir, "soft.vcd"), "--signals", "*.acc.*", "--out", join(dir, "soft-traced.npy")),
      gaincell(...size, "--jobs", "2", "--out", join(dir, "hard-j2.npy")),
    ];
    runs.forEach((r) => expect(r.stderr).toBe(""));
    expect(runs.map((r) => r.status)).toEqual([0, 0, 0, 0]);
    expect(runs[1].stdout).toMatch(/^heads: apart, on 2 worker threads\nblocks: cpcRow from .*soft\.mjs#mine$/m);
    const [j1, j2, traced, hard] = ["soft-j1", "soft-j2", "soft-traced", "hard-j2"].map((n) => readFileSync(join(dir, `${n}.npy`)));
    expect(j2.equals(j1)).toBe(true);
    expect(traced.equals(j1)).toBe(true);
    expect(j2.equals(hard)).toBe(false);
  });

  it("names a wrong --blocks module, export or kind in one line (exit 1), and refuses it with --functional", () => {
    writeFileSync(join(dir, "wrong.mjs"), "export const blocks = { cpc: () => null };\nexport const none = 3;\n");
    const lines = (r: ReturnType<typeof gaincell>) => r.stderr.trim().split("\n");
    const kind = gaincell("attend", "--tokens", "2", "--blocks", join(dir, "wrong.mjs"));
    expect(kind.status).toBe(1);
    expect(lines(kind)).toEqual([expect.stringMatching(/wrong\.mjs#blocks: "cpc" is not a block kind; expected one of writeDriver, pwmDriver/)]);
    const missing = gaincell("attend", "--tokens", "2", "--blocks", `${join(dir, "wrong.mjs")}#absent`);
    expect(lines(missing)).toEqual([expect.stringMatching(/wrong\.mjs#absent is not exported as a record of block factories/)]);
    expect(gaincell("attend", "--tokens", "2", "--blocks", join(dir, "nowhere.mjs")).status).toBe(2);
    expect(gaincell("attend", "--tokens", "2", "--blocks", `${join(dir, "wrong.mjs")}#`).status).toBe(2);
    expect(gaincell("attend", "--tokens", "2", "--blocks", join(dir, "wrong.mjs"), "--functional").status).toBe(2);
  });

  it("refuses --jobs with a trace or the functional model, as a usage error", () => {
    expect(gaincell("attend", "--tokens", "2", "--jobs", "2", "--vcd", join(dir, "x.vcd")).status).toBe(2);
    expect(gaincell("attend", "--tokens", "2", "--jobs", "2", "--functional").status).toBe(2);
    expect(gaincell("attend", "--tokens", "2", "--jobs", "0").status).toBe(2);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`${signal} stops every thread: exit 130, one line on stderr, no output file`, async () => {
      const out = join(dir, `${signal}.npy`);
      const child = spawn("node", ["bin/gaincell.js", "attend", "--tokens", "5000", "--heads", "4", "--jobs", "2", "--out", out], { cwd: ROOT });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      // once the threads have started work (the pool is up), interrupt
      const timer = setTimeout(() => child.kill(signal), 3000);
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      clearTimeout(timer);
      expect(code).toBe(EXIT_INTERRUPTED);
      expect(stderr).toMatch(/^gaincell: interrupted after \d+ of 5000 tokens of every head; nothing written\n$/);
      expect(existsSync(out)).toBe(false);
    });
  }
});
