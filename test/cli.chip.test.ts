// `gaincell attend` on a realised chip (docs/model.md §7), as a user runs it: --variation and its seed
// named in the summary and the trace header, --against-ideal, realisation files written and read
// back, retention in time with gaps or arrival times from NumPy, and the errors of these options.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCELERATOR } from "../src/arch/config.js";
import { seededInputs } from "../src/cli/inputs.js";
import { parseVcd } from "../src/engine/VcdReader.js";
import { attendFunctional } from "../src/functional/attention.js";
import { scheduleOf, tokenTimes } from "../src/laws/tokenTiming.js";
import { readNpy, writeNpy } from "../src/npy.js";
import { it_numpy, python } from "./support/numpy.js";
import { transpileSources } from "./support/transpiled.js";

let src: ReturnType<typeof transpileSources>;
let dir = "";
beforeAll(() => {
  src = transpileSources();
  dir = join(src.dir, "work");
  mkdirSync(dir);
});
afterAll(() => src.dispose());

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI's main (transpiled sources) with `args` in the work directory. */
function gaincell(...args: string[]): Run {
  const script = `const { main } = await import(${JSON.stringify(join(src.dir, "cli", "main.js"))}); process.exitCode = await main(process.argv.slice(1));`;
  const r = spawnSync("node", ["--input-type=module", "-e", script, ...args], { cwd: dir, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const A = (file: string) => Array.from(readNpy(join(dir, file)).data);
const SMALL = ["attend", "--tokens", "40", "--window", "16", "--tile", "8", "--dims", "6", "--heads", "2", "--seed", "5"];

describe("gaincell attend --variation", () => {
  it("names the preset and seed in the summary and the trace's $comment; cycle-accurate and --functional agree, and --against-ideal says how far from the ideal chip", () => {
    const chip = ["--variation", "mild", "--variation-seed", "3", "--against-ideal"];
    const slow = gaincell(...SMALL, ...chip, "--out", "mildA.npy", "--vcd", "mild.vcd");
    const fast = gaincell(...SMALL, ...chip, "--functional", "--out", "mildF.npy");
    const ideal = gaincell(...SMALL, "--functional", "--out", "idealA.npy", "--against-ideal");
    for (const r of [slow, fast, ideal]) expect([r.status, r.stderr]).toEqual([0, ""]);
    const description = "chip preset mild, variation seed 3; retention per token; tokens back to back";
    expect(slow.stdout).toContain(`\n${description}\n`);
    expect(fast.stdout).toContain(`\n${description}\n`);
    expect(ideal.stdout).toContain("\nchip ideal (the paper's); retention per token; tokens back to back\n");
    expect(A("mildA.npy")).toEqual(A("mildF.npy"));
    expect(A("mildA.npy")).not.toEqual(A("idealA.npy"));
    const line = (r: Run) => r.stdout.split("\n").find((l) => l.startsWith("against the ideal chip"))!;
    expect(line(slow)).toBe(line(fast));
    expect(line(ideal)).toMatch(/RMS error 0\.000 \(units of out\), 0\.00 % of 480 output counts changed, largest change 0 counts \(0\.000\)$/);
    // the numbers, recomputed from the two A files: RMS of the difference, changed counts (step 2/31)
    const [m, i] = [A("mildA.npy"), A("idealA.npy")];
    const changed = m.filter((x, k) => x !== i[k]).length;
    const rms = Math.sqrt(m.reduce((s, x, k) => s + (x - i[k]) ** 2, 0) / m.length);
    const maxChange = Math.max(...m.map((x, k) => Math.round(Math.abs(x - i[k]) / (2 / 31))));
    expect(changed).toBeGreaterThan(0);
    expect(line(slow)).toContain(`RMS error ${rms.toPrecision(4)} (units of out), ${((100 * changed) / 480).toFixed(2)} % of 480 output counts changed, largest change ${maxChange} count`);
    const vcd = parseVcd(readFileSync(join(dir, "mild.vcd"), "utf8"));
    expect(vcd.comments).toEqual([`gaincell attend: ${description}`]);
  });

  it("--realisation-out writes the drawn chip as the .npy files of docs/model.md §7; --realisation runs on it with the same outputs", () => {
    const drawn = gaincell(...SMALL, "--variation", "harsh", "--variation-seed", "9", "--realisation-out", "chip", "--functional", "--out", "drawnA.npy");
    expect([drawn.status, drawn.stderr]).toEqual([0, ""]);
    expect(readdirSync(join(dir, "chip")).sort()).toEqual(["cpc_offset", "k_gain", "k_offset", "k_ret", "k_stuck", "scpc_offset", "v_gain", "v_offset", "v_ret", "v_stuck"].map((f) => `${f}.npy`));
    expect(readNpy(join(dir, "chip", "k_gain.npy")).shape).toEqual([2, 16, 6]);
    expect(readNpy(join(dir, "chip", "scpc_offset.npy")).shape).toEqual([2, 2, 6]);
    // the same chip read back, with harsh's noise and the same seed: the same A, cycle by cycle too
    const read = gaincell(...SMALL, "--realisation", "chip", "--variation", "harsh", "--variation-seed", "9", "--out", "readA.npy");
    expect([read.status, read.stderr]).toEqual([0, ""]);
    expect(read.stdout).toContain("\nchip realisation read from chip, noise of preset harsh, variation seed 9; retention per token; tokens back to back\n");
    expect(A("readA.npy")).toEqual(A("drawnA.npy"));
    // the chip's files are outputs of the run like the others: none appears when the run fails
    writeNpy(join(dir, "late.npy"), { shape: [40], data: Float64Array.from({ length: 40 }, (_, t) => (t === 39 ? 0 : t * 1000)) });
    const failed = gaincell(...SMALL, "--variation", "harsh", "--realisation-out", "chip2", "--out", "failedA.npy", "--arrivals", "late.npy");
    expect([failed.status, failed.stderr]).toEqual([1, "gaincell: late.npy[39]: 0 ps is before token 38's arrival at 38000 ps: tokens arrive in order\n"]);
    expect(existsSync(join(dir, "failedA.npy"))).toBe(false);
    expect(existsSync(join(dir, "chip2"))).toBe(false);
    // a chip of another shape is refused, naming the file
    const wrong = gaincell("attend", "--tokens", "4", "--window", "8", "--dims", "6", "--heads", "2", "--realisation", "chip");
    expect([wrong.status, wrong.stderr]).toEqual([1, "gaincell: chip/k_gain.npy: shape (2, 16, 6) does not match the configuration's (H, M, D) = (2, 8, 6)\n"]);
  });
});

describe("gaincell attend --retention time", () => {
  it("a stream with gaps decays more than one back to back; the cycle-accurate run equals --functional with the same gap", () => {
    const decay = ["attend", "--tokens", "30", "--window", "16", "--dims", "6", "--seed", "2", "--decay", "0.5", "--retention", "time"];
    const tight = gaincell(...decay, "--out", "tightA.npy", "--scores", "tightS.npy");
    const gapped = gaincell(...decay, "--token-gap", "2us", "--out", "gapA.npy", "--scores", "gapS.npy");
    const gappedF = gaincell(...decay, "--token-gap", "2us", "--functional", "--out", "gapF.npy");
    for (const r of [tight, gapped, gappedF]) expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(gapped.stdout).toContain("\nchip ideal (the paper's); retention per simulated time; 2us between tokens\n");
    // token 29 arrives at 29 × (65 ns + 2 µs) = 59.885 µs, is offered at the next rising edge (59.8855 µs),
    // taken at the one after and done 65 ns later
    expect(gapped.stdout).toMatch(/^simulated 59\.952 µs /m);
    expect(A("gapA.npy")).toEqual(A("gapF.npy"));
    // token 29 reads slot 14, written by token 14: decayed by exp(−0.5·Δt/0.8 µs), Δt 15 × 65 ns back
    // to back, 15 × 2.065 µs with gaps, so nearer the fully decayed read (every offset y·δ → 0)
    const [t, s] = [29, 14];
    const x = seededInputs(30, 1, 6, 2);
    const config = { windowM: 16, tile: 16, D: 6, lambdaPerToken: 1e9 };
    const gone = attendFunctional(x.q, x.k, x.v, 30, 6, config, { scores: true }, { retention: "time", times: tokenTimes(scheduleOf(DEFAULT_ACCELERATOR), 30) }).scores![t * 16 + s];
    const S = (f: string) => readNpy(join(dir, f)).data[t * 16 + s];
    expect(Math.abs(S("gapS.npy") - gone)).toBeLessThan(0.5 * Math.abs(S("tightS.npy") - gone));
  });

  it_numpy("takes each token's arrival time from a .npy NumPy wrote, and names the file and index of a bad one", () => {
    python(`
np.save("arrivals.npy", np.array([0, 0, 5e5, 5e5, 3e6, 3.1e6]))
np.save("backwards.npy", np.array([0, 0, 5e5, 4e5, 3e6, 3.1e6]))
np.save("two.npy", np.zeros((3, 2)))
`, dir);
    const base = ["attend", "--tokens", "6", "--window", "4", "--dims", "3", "--retention", "time", "--decay", "0.3"];
    const r = gaincell(...base, "--arrivals", "arrivals.npy", "--out", "arrA.npy");
    const f = gaincell(...base, "--arrivals", "arrivals.npy", "--functional", "--out", "arrF.npy");
    for (const x of [r, f]) expect([x.status, x.stderr]).toEqual([0, ""]);
    expect(r.stdout).toContain("; arrivals from arrivals.npy\n");
    // token 5 arrives at 3.1 µs: offered at the first rising edge after, 3.1005 µs, taken at 3.1015 µs, done 65 ns later
    expect(r.stdout).toMatch(/^simulated 3\.167 µs /m);
    expect(A("arrA.npy")).toEqual(A("arrF.npy"));
    expect(gaincell(...base, "--arrivals", "backwards.npy")).toMatchObject({ status: 1, stderr: "gaincell: backwards.npy[3]: 400000 ps is before token 2's arrival at 500000 ps: tokens arrive in order\n" });
    expect(gaincell(...base, "--arrivals", "two.npy")).toMatchObject({ status: 1, stderr: "gaincell: two.npy: shape (3, 2) is not (T,): one arrival time per token\n" });
  });
});

describe("the chip options' errors", () => {
  it("a user error names the preset, the file and field, or the index: exit 1, one line", () => {
    writeFileSync(join(dir, "neg.json"), '{"sigmaGain": -0.1}');
    writeFileSync(join(dir, "typo.json"), '{"sigmaGian": 0.1}');
    writeNpy(join(dir, "short.npy"), { shape: [2], data: new Float64Array(2) });
    const base = ["attend", "--tokens", "3", "--dims", "2", "--window", "4"];
    const cases: [string[], string][] = [
      [["--variation", "medium"], 'gaincell: variation: "medium" is not a preset (harsh, ideal, mild) nor a .json file\n'],
      [["--variation", "neg.json"], "gaincell: variation.sigmaGain: -0.1 must be at least 0 (relative gain spread) (in neg.json)\n"],
      [["--variation", "typo.json"], /^gaincell: variation\.sigmaGian: is not a known field; known fields are sigmaGain, /.source],
      [["--variation", "none.json"], /^gaincell: none\.json: cannot read/.source],
      [["--retention", "time", "--arrivals", "short.npy"], "gaincell: short.npy: has 2 arrival times; expected one per token, 3\n"],
      [["--realisation", "nochip"], /^gaincell: nochip\/k_gain\.npy: cannot read/.source],
    ];
    for (const [args, message] of cases) {
      const r = gaincell(...base, ...args);
      expect(r.status, args.join(" ")).toBe(1);
      if (message.endsWith("\n")) expect(r.stderr).toBe(message);
      else expect(r.stderr).toMatch(new RegExp(`${message}[^\\n]*\\n$`));
      expect(r.stdout).toBe("");
    }
  });

  it("a usage error is one line and where the help is: exit 2", () => {
    const cases: [string[], RegExp][] = [
      [["--retention", "soon"], /--retention: "soon" is not token or time/],
      [["--token-gap", "a while"], /--token-gap: "a while" is not a time such as 2000, 65ns or 1\.5us/],
      [["--token-gap", "1ns", "--arrivals", "a.npy"], /give --token-gap or --arrivals, not both/],
      [["--variation-seed", "1.5"], /--variation-seed: "1\.5" is not a whole number in 0\.\./],
    ];
    for (const [args, message] of cases) {
      const r = gaincell("attend", "--tokens", "3", "--dims", "2", ...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.split("\n")).toHaveLength(3);
    }
    const help = gaincell("attend", "--help").stdout;
    for (const option of ["--variation PRESET|FILE.json", "--variation-seed N", "--retention token|time", "--token-gap TIME", "--arrivals FILE.npy", "--realisation DIR", "--realisation-out DIR", "--against-ideal"]) {
      expect(help).toContain(option);
    }
  });
});
