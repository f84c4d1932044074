// `gaincell attend` as a user runs it: the built CLI on .npy files written and read by real NumPy,
// the functional path against the cycle-accurate one, exit codes and one-line error messages
// (docs/architecture.md, contracts: 0 success, 1 user error naming the file or field, 2 usage error).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { functionalPart, validateAccelerator } from "../src/arch/config.js";
import { readNpy, writeNpy } from "../src/npy.js";
import { attendFunctionalHeads } from "../src/functional/attention.js";
import { buildPrivate, ROOT, type PrivateBuild } from "./support/build.js";
import { it_numpy, python as runPython } from "./support/numpy.js";

let build: PrivateBuild;
let dir = "";
let cli = "";
beforeAll(() => {
  build = buildPrivate();
  cli = build.cli;
  dir = join(build.root, "work");
  mkdirSync(dir);
});
afterAll(() => build.dispose());

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `gaincell` in the work directory. */
function gaincell(...args: string[]): Run {
  const r = spawnSync("node", [cli, ...args], { cwd: dir, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a Python script with NumPy as np in the work directory; returns its stdout. */
const python = (script: string): string => runPython(script, dir);

/** Expects a user error: exit 1, one line on stderr starting `gaincell: ` that matches, no stack trace. */
function expectUserError(r: Run, message: RegExp): void {
  expect(r.stderr, r.stderr).toMatch(/^gaincell: [^\n]+\n$/);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.status).toBe(1);
  expect(r.stdout).toBe("");
}

describe("gaincell attend on .npy files from NumPy", () => {
  it_numpy("reads float32 (T, D) and float64 (T, H, D) inputs and writes float64 A and scores NumPy reads with the inputs' shape", () => {
    python(`
rng = np.random.default_rng(7)
for name, shape, dtype in [("a", (12, 5), np.float32), ("b", (10, 3, 4), np.float64)]:
    np.save(f"{name}_q.npy", rng.uniform(0, 1, shape).astype(dtype))
    np.save(f"{name}_k.npy", rng.uniform(0, 0.9, shape).astype(dtype))
    np.save(f"{name}_v.npy", rng.uniform(0, 0.9, shape).astype(dtype))
`);
    const cases = [["a", [12, 5]], ["b", [10, 3, 4]]] as const;
    for (const [name, shape] of cases) {
      const r = gaincell("attend", "--q", `${name}_q.npy`, "--k", `${name}_k.npy`, "--v", `${name}_v.npy`, "--window", "8", "--tile", "4",
        "--out", `${name}_A.npy`, "--scores", `${name}_S.npy`);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`wrote ${name}_A.npy (${shape.join(" × ")})`);
      const seen = JSON.parse(python(`
a = np.load("${name}_A.npy"); s = np.load("${name}_S.npy")
print(json.dumps({"a": [list(a.shape), str(a.dtype), bool(a.flags.c_contiguous)], "s": [list(s.shape), str(s.dtype)], "finite": bool(np.isfinite(a).all())}))
`));
      const scoreShape = [...shape.slice(0, -1), 8]; // (T, M) or (T, H, M)
      expect(seen).toEqual({ a: [shape, "float64", true], s: [scoreShape, "float64"], finite: true });
      // and A is the functional model's output for the same inputs, element for element
      const [q, k, v] = ["q", "k", "v"].map((x) => readNpy(join(dir, `${name}_${x}.npy`)).data);
      const [T, H, D] = shape.length === 2 ? [shape[0], 1, shape[1]] : shape;
      const config = functionalPart(validateAccelerator({ windowM: 8, tile: 4, D, heads: H }));
      const ref = attendFunctionalHeads(q, k, v, T, H, D, config);
      expect(Array.from(readNpy(join(dir, `${name}_A.npy`)).data)).toEqual(Array.from(ref.out));
    }
  });

  it_numpy("rejects NaN, an int dtype and Fortran order with one line naming the file (and the index)", () => {
    python(`
x = np.full((6, 8), 0.5)
np.save("ok.npy", x)
y = x.copy(); y[3, 5] = np.nan; np.save("nan.npy", y)
np.save("int.npy", np.ones((6, 8), dtype=np.int32))
np.save("fortran.npy", np.asfortranarray(np.arange(48.0).reshape(6, 8)))
`);
    expectUserError(gaincell("attend", "--q", "ok.npy", "--k", "nan.npy", "--v", "ok.npy"), /^gaincell: nan\.npy: element \[3, 5\] is NaN/);
    expectUserError(gaincell("attend", "--q", "ok.npy", "--k", "ok.npy", "--v", "int.npy"), /^gaincell: int\.npy: dtype <i4 is not supported: expected float32 or float64/);
    expectUserError(gaincell("attend", "--q", "fortran.npy", "--k", "ok.npy", "--v", "ok.npy"), /^gaincell: fortran\.npy: array is in Fortran order/);
  });
});

describe("gaincell attend's user errors: exit 1, one line naming the file or field", () => {
  const save = (name: string, shape: number[], fill = 0.5) => {
    writeNpy(join(dir, name), { shape, data: new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(fill) });
    return name;
  };

  it("names the file and the index of a non-finite value", () => {
    const k = join(dir, "inf.npy");
    const data = new Float64Array(4 * 3 * 2).fill(0.5);
    data[(2 * 3 + 1) * 2 + 0] = Infinity;
    writeNpy(k, { shape: [4, 3, 2], data });
    const ok = save("ok3.npy", [4, 3, 2]);
    expectUserError(gaincell("attend", "--q", ok, "--k", ok, "--v", "inf.npy"), /^gaincell: inf\.npy: element \[2, 1, 0\] is Infinity/);
  });

  it("names the file with the wrong or mismatched shape, and a missing file", () => {
    const ok = save("ok2.npy", [6, 4]);
    expectUserError(gaincell("attend", "--q", save("flat.npy", [24]), "--k", ok, "--v", ok), /^gaincell: flat\.npy: shape \(24\) is not \(T, D\) or \(T, H, D\)/);
    expectUserError(gaincell("attend", "--q", ok, "--k", save("4d.npy", [6, 1, 2, 2]), "--v", ok), /^gaincell: 4d\.npy: shape \(6, 1, 2, 2\) is not/);
    expectUserError(gaincell("attend", "--q", ok, "--k", ok, "--v", save("short.npy", [5, 4])), /^gaincell: short\.npy: shape \(5, 4\) differs from ok2\.npy's \(6, 4\)/);
    expectUserError(gaincell("attend", "--q", ok, "--k", save("empty.npy", [0, 4]), "--v", ok), /^gaincell: empty\.npy: shape \(0, 4\) differs/);
    expectUserError(gaincell("attend", "--q", "missing.npy", "--k", ok, "--v", ok), /^gaincell: missing\.npy: cannot read: ENOENT/);
  });

  it("names the configuration field or the file of a bad --config", () => {
    writeFileSync(join(dir, "neg.json"), '{"windowM": -3}');
    writeFileSync(join(dir, "typo.json"), '{"windwM": 16}');
    writeFileSync(join(dir, "broken.json"), '{"windowM": 16');
    writeFileSync(join(dir, "phase.json"), '{"phase1Cycles": 10}');
    const small = ["attend", "--tokens", "3", "--dims", "2"];
    expectUserError(gaincell(...small, "--config", "neg.json"), /^gaincell: config\.windowM: -3 is not a positive integer \(in neg\.json\)/);
    expectUserError(gaincell(...small, "--config", "typo.json"), /^gaincell: config\.windwM: is not a known field; known fields are windowM/);
    expectUserError(gaincell(...small, "--config", "broken.json"), /^gaincell: broken\.json: not valid JSON/);
    expectUserError(gaincell(...small, "--config", "phase.json"), /^gaincell: config\.phase1Cycles: 10 cycles × 1000 ps is shorter than T_max/);
    expectUserError(gaincell(...small, "--config", "nothere.json"), /^gaincell: nothere\.json: cannot read/);
    expectUserError(gaincell(...small, "--window", "4", "--tile", "8"), /^gaincell: config\.tile: 8 columns per sub-tile is more than the window's 4 slots/);
    expectUserError(gaincell(...small, "--levels-kv", "1"), /^gaincell: config\.levelsKv: /);
  });

  it("names the output file it cannot write", () => {
    expectUserError(gaincell("attend", "--tokens", "2", "--dims", "2", "--functional", "--out", "no/such/dir/A.npy"), /^gaincell: no\/such\/dir\/A\.npy: cannot write/);
  });
});

describe("usage errors: exit 2, one line and where the help is", () => {
  const cases: [string[], RegExp][] = [
    [["attend", "--frobnicate"], /Unknown option '--frobnicate'/],
    [["attend", "stray"], /positional argument/],
    [["attend", "--tokens", "abc"], /--tokens: "abc" is not a whole number/],
    [["attend", "--tokens", "0"], /--tokens: "0" is not a whole number in 1\.\./],
    [["attend", "--q", "q.npy"], /give all three of --q, --k and --v, or none/],
    [["attend", "--functional", "--vcd", "a.vcd"], /--functional runs no trace/],
    [["attend", "--gtkw", "a.gtkw"], /--gtkw needs a trace to open: add --vcd/],
    [["attend", "--vcd", "a.vcd", "--from", "soon"], /--from: "soon" is not a time such as 2000, 65ns or 1\.5us/],
    [["attend", "--window", "many"], /--window: "many" is not a number/],
    [["attend", "--q", "q.npy", "--k", "k.npy", "--v", "v.npy", "--tokens", "5"], /--tokens sets the seeded stream; with --q, --k and --v the sizes come from the files/],
    [["attend", "--vcd", "a.vcd", "--from", "65ns", "--trace-tokens", "2"], /give --from or --trace-tokens, not both/],
    [["attend", "--vcd", "a.vcd", "--from", "65ns", "--to", "2ns"], /--to 2000 ps is before the trace's start, 65000 ps/],
    [["attend", "--tokens", "-3"], /^gaincell: Option '--tokens' argument is ambiguous\. Did you forget to specify the option argument for '--tokens'\? To specify/],
    [["frobnicate"], /unknown command "frobnicate"/],
  ];
  it.each(cases)("gaincell %j", (args, message) => {
    const r = gaincell(...args);
    expect(r.status, r.stderr).toBe(2);
    const [line, hint, ...rest] = r.stderr.split("\n");
    expect(line).toMatch(/^gaincell: /);
    expect(line).toMatch(message);
    // the command's own help, or the general one for a command that does not exist
    expect(hint).toBe(args[0] === "attend" ? "see gaincell attend --help" : "see gaincell --help");
    expect(rest).toEqual([""]);
    expect(r.stdout).toBe("");
  });

  it("gaincell with no command exits 2 and says so in one line", () => {
    const r = gaincell();
    expect([r.status, r.stderr, r.stdout]).toEqual([2, "gaincell: no command given\nsee gaincell --help\n", ""]);
  });

  it("--version prints the package's version", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) expect(gaincell(flag)).toEqual({ status: 0, stdout: `gaincell ${version}\n`, stderr: "" });
  });


  it("--help prints the usage on stdout and exits 0", () => {
    for (const args of [["attend", "--help"], ["attend", "-h"], ["--help"], ["help"]]) {
      const r = gaincell(...args);
      expect(r.status, args.join(" ")).toBe(0);
      expect(r.stdout).toMatch(/^usage: gaincell|\nusage: gaincell/);
      expect(r.stderr).toBe("");
    }
    const help = gaincell("attend", "--help").stdout;
    for (const option of ["--q Q.npy", "--out A.npy", "--scores S.npy", "--vcd FILE.vcd", "--gtkw FILE.gtkw", "--trace-tokens N", "--functional", "--config FILE.json"]) {
      expect(help).toContain(option);
    }
  });
});

describe("gaincell attend runs", () => {
  it("gives the same A and scores with --functional as cycle-accurately (seeded stream, window wrapped, 2 heads)", () => {
    const args = ["attend", "--tokens", "40", "--window", "24", "--tile", "8", "--dims", "6", "--heads", "2", "--seed", "11"];
    const fast = gaincell(...args, "--functional", "--out", "fA.npy", "--scores", "fS.npy");
    const slow = gaincell(...args, "--out", "cA.npy", "--scores", "cS.npy");
    expect([fast.status, slow.status]).toEqual([0, 0]);
    const [fA, cA, fS, cS] = ["fA", "cA", "fS", "cS"].map((f) => readNpy(join(dir, `${f}.npy`)));
    expect(cA.shape).toEqual([40, 2, 6]);
    expect(cS.shape).toEqual([40, 2, 24]);
    expect(Array.from(cA.data)).toEqual(Array.from(fA.data));
    expect(fS.shape).toEqual(cS.shape);
    for (let i = 0; i < cS.data.length; i++) expect(cS.data[i], `score ${i}`).toBeCloseTo(fS.data[i], 9);
  });

  it("prints tokens, simulated time, wall time and simulated cycles per second, and nothing on stderr", () => {
    const r = gaincell("attend", "--tokens", "20", "--window", "16", "--dims", "4");
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(""); // no progress bar when stderr is not a terminal
    expect(r.stdout).toMatch(/^cycle-accurate run: 20 tokens × 1 head\(s\), D 4, M 16, 1302 control cycles$/m);
    // 20 tokens of 65 ns after the first hand-over edge at 1.5 ns
    expect(r.stdout).toMatch(/^simulated 1\.302 µs \(65\.1 ns per token\) in \d+\.\d\d s wall$/m);
    expect(r.stdout).toMatch(/^[\d,]+ simulated cycles\/s, [\d,]+ tokens\/s, [\d,]+ process evaluations$/m);
    const f = gaincell("attend", "--tokens", "20", "--window", "16", "--dims", "4", "--functional");
    expect(f.stdout).toMatch(/^functional reference: 20 tokens × 1 head\(s\), D 4, M 16, \d+ ms wall$/m);
  });

  it("writes the trace and save file it names, with paths relative to the working directory", () => {
    const r = gaincell("attend", "--tokens", "3", "--dims", "2", "--window", "4", "--vcd", "t.vcd", "--gtkw", "t.gtkw");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("trace: t.vcd, view: gtkwave t.gtkw");
    expect(readFileSync(resolve(dir, "t.vcd"), "utf8")).toMatch(/^\$date/);
    expect(readFileSync(resolve(dir, "t.gtkw"), "utf8")).toMatch(/^\[dumpfile\] "\/gaincell\/work\/t\.vcd"$/m);
  });
});
