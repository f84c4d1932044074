// The package as a user gets it: `npm pack` of a copy of the project (its prepare script builds),
// the tarball installed into an empty project (dependencies from the npm registry), then the
// installed `gaincell` command, an ESM script importing "gaincell" and "gaincell/verify", and a
// TypeScript file type-checked against the shipped declarations, and examples/soft-sigmoid-cpc type-checked
// and run against it. Slow: a build, an install, three tsc runs.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { functionalPart, validateAccelerator } from "../src/arch/config.js";
import { seededInputs } from "../src/cli/inputs.js";
import { readNpy } from "../src/npy.js";
import { attendFunctional } from "../src/functional/attention.js";
import { ROOT } from "./support/build.js";

const SLOW_MS = 600_000;
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

let tmp = "";
let consumer = "";
let packed: { filename: string; files: { path: string }[] };

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.error !== undefined) throw new Error(`${command} ${args.join(" ")}: ${r.error.message}`);
  return r;
}

function ok(r: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
  if (r.status !== 0) throw new Error(`${what} exited with ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "gaincell-package-"));
  // a copy of what a clone holds (not dist/: the tarball must be built by the prepare script)
  const project = join(tmp, "project");
  mkdirSync(project);
  for (const entry of ["package.json", "package-lock.json", "tsconfig.json", "README.md", "LICENSE", "src", "bin", "docs"]) {
    if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(project, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(project, "node_modules"), "dir");
  const out = join(tmp, "out");
  mkdirSync(out);
  const pack = ok(run("npm", ["pack", "--json", "--pack-destination", out], project), "npm pack");
  [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as (typeof packed)[];

  consumer = join(tmp, "consumer");
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  ok(run("npm", ["install", join(out, packed.filename), "--no-audit", "--no-fund", "--prefer-offline"], consumer), "npm install of the tarball");
}, SLOW_MS);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the packed tarball installed into an empty project", () => {
  it("holds the built code, its declarations, the command and the README, and none of the sources or tests", () => {
    const files = packed.files.map((f) => f.path);
    for (const needed of ["package.json", "README.md", "bin/gaincell.js", "dist/src/index.js", "dist/src/index.d.ts",
      "dist/src/verify/index.js", "dist/src/verify/index.d.ts", "dist/src/cli/main.js"]) {
      expect(files, needed).toContain(needed);
    }
    expect(files.filter((f) => /\.ts$/.test(f) && !/\.d\.ts$/.test(f))).toEqual([]);
    expect(files.filter((f) => /^(src|test|bench|traces|dist\/bench)\//.test(f))).toEqual([]);
  });

  it("(a) runs `npx gaincell --version` and `gaincell attend`, whose output is the functional model's", () => {
    const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version as string;
    expect(ok(run("npx", ["gaincell", "--version"], consumer), "npx gaincell --version").stdout).toBe(`gaincell ${version}\n`);
    const attend = ok(run("npx", ["gaincell", "attend", "--tokens", "3", "--dims", "4", "--window", "8", "--out", "x.npy"], consumer), "gaincell attend");
    expect(attend.stdout).toContain("wrote x.npy (3 × 4)");
    const x = readNpy(join(consumer, "x.npy"));
    // the seeded stream attend draws without inputs (seed 1), through this checkout's functional model
    const inputs = seededInputs(3, 1, 4, 1);
    const ref = attendFunctional(inputs.q, inputs.k, inputs.v, 3, 4, functionalPart(validateAccelerator({ windowM: 8, tile: 8, D: 4 })));
    expect(x.shape).toEqual([3, 4]);
    expect(Array.from(x.data)).toEqual(Array.from(ref.out));
  });

  it("(b) runs an ESM script that imports from \"gaincell\" and \"gaincell/verify\"", () => {
    writeFileSync(join(consumer, "use.mjs"), `
import { Module, Simulator, validateAccelerator, runAttention, attendFunctional, functionalPart, cyclesPerToken } from "gaincell";
import { Checker, rose, not, arbVerifyCase, runVerifyCase } from "gaincell/verify";
import fc from "fast-check";
class Blink extends Module {
  constructor() {
    super(null, "top");
    this.clk = this.clock("clk", { periodPs: 1000 });
    this.led = this.bit("led");
    this.always(this.clk.posedge, [this.led], () => this.led.set(1 - this.led.get()));
    this.chk = new Checker(this, "chk", this.clk);
    this.chk.implication("toggles", rose(this.led), not(this.led), 1);
  }
}
const top = new Blink();
new Simulator(top).run(20_000);
const c = validateAccelerator({ windowM: 4, tile: 4, D: 2 });
const q = new Float64Array(6).fill(0.5), k = new Float64Array(6).fill(0.7), v = new Float64Array(6).fill(0.2);
const r = await runAttention(c, { T: 3, H: 1, D: 2, q, k, v, threeD: false });
const f = attendFunctional(q, k, v, 3, 2, functionalPart(c));
const [vc] = fc.sample(arbVerifyCase({ maxWindow: 4 }), { seed: 3, numRuns: 1 });
const checked = await runVerifyCase(vc);
console.log(JSON.stringify({ ticks: top.chk.ticks, attempts: top.chk.results()[0].attempts, failures: top.chk.failureCount,
  cycles: cyclesPerToken(c), same: Array.from(r.outCodes).join() === Array.from(f.outCodes).join(), problems: checked.problems }));
`);
    const out = ok(run("node", ["use.mjs"], consumer), "node use.mjs").stdout;
    expect(JSON.parse(out)).toEqual({ ticks: 20, attempts: 10, failures: 0, cycles: 65, same: true, problems: [] });
  });

  it("(c) type-checks a TypeScript file against the shipped declarations (no TS7016), and rejects a wrong use", () => {
    const tsconfig = (file: string) => JSON.stringify({
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true,
        skipLibCheck: false, types: ["node"], typeRoots: [join(ROOT, "node_modules", "@types")] },
      files: [file],
    });
    const source = (configType: string) => `
import { Module, Simulator, validateAccelerator, type AcceleratorConfig, type Bit } from "gaincell";
import { Checker, rose, not, arbConfig, type MonitorFailure } from "gaincell/verify";
import fc from "fast-check";
class Blink extends Module {
  readonly clk: Bit = this.clock("clk", { periodPs: 1000 });
  readonly led = this.bit("led");
  readonly chk: Checker;
  constructor() {
    super(null, "top");
    this.always(this.clk.posedge, [this.led], () => this.led.set(1 - this.led.get()));
    this.chk = new Checker(this, "chk", this.clk);
    this.chk.implication("toggles", rose(this.led), not(this.led), 1);
  }
}
const top = new Blink();
new Simulator(top).run(10_000);
const failures: MonitorFailure[] = top.chk.failures;
const c: ${configType} = validateAccelerator({ windowM: 8 });
const configs: AcceleratorConfig[] = fc.sample(arbConfig(), 2);
export const summary = [failures.length, c, configs.length];
`;
    writeFileSync(join(consumer, "use.ts"), source("AcceleratorConfig"));
    writeFileSync(join(consumer, "tsconfig.json"), tsconfig("use.ts"));
    const good = run("node", [TSC, "-p", "tsconfig.json"], consumer);
    expect(`${good.stdout}${good.stderr}`).toBe("");
    expect(good.status).toBe(0);
    writeFileSync(join(consumer, "wrong.ts"), source("number"));
    writeFileSync(join(consumer, "tsconfig.wrong.json"), tsconfig("wrong.ts"));
    const wrong = run("node", [TSC, "-p", "tsconfig.wrong.json"], consumer);
    expect(wrong.status).not.toBe(0);
    // the one error: the declared type, not `any` (which a missing declaration, TS7016, would give)
    expect(wrong.stdout).toMatch(/^wrong\.ts\(19,7\): error TS2322: Type 'AcceleratorConfig' is not assignable to type 'number'\.\n$/);
  });

  it("(d) type-checks and runs examples/soft-sigmoid-cpc against the installed package: its properties hold, it exits 0", () => {
    const example = join(consumer, "soft-sigmoid-cpc");
    cpSync(join(ROOT, "examples", "soft-sigmoid-cpc"), example, { recursive: true, filter: (f) => !/[/\\]out$/.test(f) });
    // the example's own tsconfig, with @types/node found where this checkout has it
    writeFileSync(join(example, "tsconfig.consumer.json"), JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { typeRoots: [join(ROOT, "node_modules", "@types")] } }));
    const tsc = run("node", [TSC, "-p", "tsconfig.consumer.json"], example);
    expect(`${tsc.stdout}${tsc.stderr}`).toBe("");
    expect(tsc.status).toBe(0);
    const out = ok(run("node", ["out/main.js"], example), "node out/main.js").stdout;
    expect(out).toMatch(/^φ = T_max·softSigmoid\(S\), monotonic in S: 20 random configurations and streams \(seed \d+\)\nprotocol monitors: no failure in 10 runs with stalls \(seed \d+\)\n$/);
  }, SLOW_MS);
});
