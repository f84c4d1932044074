// Issue 9 as a user meets it on the command line: every output whole or absent (a full disk, bad
// output paths found before the run), sizes and values refused with a line naming the option, and
// nothing silently ignored (test/processEnds.test.ts: signals, closed pipes and the terminal).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, test } from "vitest";
import { main } from "../src/cli/main.js";
import { readNpy, writeNpy } from "../src/npy.js";
import { captured, folderMaker } from "./support/capture.js";
import { tmpfsTest } from "./support/tmpfs.js";

const dir = mkdtempSync(join(tmpdir(), "outputs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process and captures what it writes. */
const cli = (...argv: string[]): Promise<Run> => captured(() => main(argv));

/** Expects a user error: exit 1, one line on stderr matching `message`, no stack trace. */
function expectUserError(r: Run, message: RegExp): void {
  expect(r.stderr, r.stderr).toMatch(/^gaincell: [^\n]+\n$/);
  expect(r.stderr.trimEnd()).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at |RangeError|heap out of memory/m);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
}

/** Expects a usage error: exit 2, one line matching `message`, then where the help is. */
function expectUsageError(r: Run, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.split("\n")[0]).toMatch(message);
  expect(r.stderr).toMatch(/^[^\n]+\nsee gaincell (\w+ )?--help\n$/);
  expect(r.stdout).toBe("");
}

const folder = folderMaker(() => dir);

/** The names in `d`, sorted: no temporary file may be among them. */
const listing = (d: string) => readdirSync(d).sort();

const SMALL = ["--tokens", "30", "--window", "8", "--dims", "2"];

describe("a full disk (a small tmpfs) leaves every older output as it was", () => {
  tmpfsTest("attend: S.npy does not fit; A.npy, the trace and the save file keep their older bytes, and none is half-written", 64, async ({ dir: fs }) => {
    const old = { "A.npy": "old A", "S.npy": "old S", "t.vcd": "old trace", "t.gtkw": "old view" };
    for (const [name, text] of Object.entries(old)) writeFileSync(join(fs, name), text);
    // 600 tokens × 16 slots of float64 scores are 77 kB: more than the 64 KiB disk
    const r = await cli("attend", "--tokens", "600", "--window", "16", "--dims", "2", "--out", join(fs, "A.npy"), "--scores", join(fs, "S.npy"),
      "--vcd", join(fs, "t.vcd"), "--gtkw", join(fs, "t.gtkw"), "--trace-tokens", "1");
    expectUserError(r, /S\.npy: cannot write: no space left on device$/);
    expect(listing(fs)).toEqual(Object.keys(old).sort());
    for (const [name, text] of Object.entries(old)) expect(readFileSync(join(fs, name), "utf8"), name).toBe(text);
  }, 60_000);

  tmpfsTest("attend: a trace that fills the disk stops the run with one line naming it", 64, async ({ dir: fs }) => {
    writeFileSync(join(fs, "t.vcd"), "old trace");
    const r = await cli("attend", ...SMALL, "--vcd", join(fs, "t.vcd"), "--out", join(fs, "A.npy"));
    expectUserError(r, /t\.vcd: cannot write: no space left on device$/);
    expect(listing(fs)).toEqual(["t.vcd"]);
    expect(readFileSync(join(fs, "t.vcd"), "utf8")).toBe("old trace");
  }, 60_000);

  tmpfsTest("sweep: results that do not fit are not written at all, and the earlier ones stay", 64, async ({ dir: fs }) => {
    mkdirSync(join(fs, "sweep"));
    writeFileSync(join(fs, "sweep", "sweep.csv"), "old csv");
    const config = join(fs, "d2.json");
    writeFileSync(config, '{"D": 2}');
    // tmpfs counts 4 KiB pages: 12 used, 4 left after this filler (of 16). The point records (a
    // definition of 2 pages, one per point) fit; sweep.csv, sweep.json and the charts (~50 kB) do not
    writeFileSync(join(fs, "filler"), Buffer.alloc(36 * 1024));
    const full = await cli("sweep", "--config", config, "--param", "window=4,8", "--tokens", "1", "--jobs", "1", "--out", join(fs, "sweep"));
    expectUserError(full, /sweep\/[a-z]+\.(svg|json|csv): cannot write: no space left on device$/);
    expect(listing(join(fs, "sweep"))).toEqual(["points", "sweep-definition.json", "sweep.csv"]);
    expect(readFileSync(join(fs, "sweep", "sweep.csv"), "utf8")).toBe("old csv");
  }, 120_000);
});

describe("output paths are checked before the run", () => {
  it("--out naming a folder or a path under a file: one line, and the older trace and save file are untouched", async () => {
    const d = folder({ "t.vcd": "old trace", "t.gtkw": "old view", "plain": "x" });
    mkdirSync(join(d, "adir"));
    for (const [out, message] of [["adir", /adir: cannot write: it is a folder; give a file name$/], ["plain/A.npy", /plain\/A\.npy: cannot write: .*plain is a file, not a folder$/]] as const) {
      const r = await cli("attend", ...SMALL, "--vcd", join(d, "t.vcd"), "--gtkw", join(d, "t.gtkw"), "--out", join(d, out));
      expectUserError(r, message);
      expect(listing(d)).toEqual(["adir", "plain", "t.gtkw", "t.vcd"]);
      expect(readFileSync(join(d, "t.vcd"), "utf8")).toBe("old trace");
      expect(readFileSync(join(d, "t.gtkw"), "utf8")).toBe("old view");
    }
  });

  it("report --out and review --out are checked before their runs", async () => {
    const d = folder({ "plain": "x" });
    mkdirSync(join(d, "adir"));
    // a window of 50,000 slots fits in memory but would take hours to fill: these fail at once
    expectUserError(await cli("report", "--window", "50000", "--out", join(d, "adir")), /adir: cannot write: it is a folder/);
    expectUserError(await cli("review", "--window", "50000", "--out", join(d, "plain")), /plain\/index\.html: cannot write: .*plain is a file, not a folder$/);
    expectUserError(await cli("sweep", "--param", "window=50000", "--out", join(d, "plain")), /plain: cannot write: .*plain is a file, not a folder$/);
    expect(listing(d)).toEqual(["adir", "plain"]);
  });

  tmpfsTest("a read-only folder", 64, async ({ dir: fs, remountReadOnly }) => {
    writeFileSync(join(fs, "A.npy"), "old A");
    remountReadOnly();
    expectUserError(await cli("attend", ...SMALL, "--out", join(fs, "A.npy")), /A\.npy: cannot write: read-only file system$/);
    expectUserError(await cli("report", "--window", "50000", "--out", join(fs, "r.md")), /r\.md: cannot write: read-only file system$/);
    expectUserError(await cli("sweep", "--param", "window=50000", "--out", join(fs, "sweep")), /sweep: cannot write: read-only file system$/);
    expect(readFileSync(join(fs, "A.npy"), "utf8")).toBe("old A");
  });
});

describe("sizes and values refused before the run, naming the option and the limit", () => {
  it.each([
    [["attend", "--tokens", "1000000000000000"], /^gaincell: --tokens 1000000000000000: the run needs about [\d.]+ [PE]iB of memory, most of it for the inputs and outputs of 1000000000000000 tokens × 1 head × 64 dims; this machine has [\d.]+ [GT]iB$/],
    [["attend", "--heads", "1024", "--dims", "4096"], /^gaincell: --heads 1024: a layer of 1024 heads of D 4096 × M 1024 needs about [\d.]+ [GT]iB of JavaScript heap, more than this process can give it/],
    [["attend", "--heads", "1024", "--tokens", "2"], /^gaincell: --heads 1024: a layer of 1024 heads of D 64 × M 1024 needs about [\d.]+ GiB of JavaScript heap, more than this process can give it \([\d.]+ GiB of its [\d.]+ GiB limit\); .* NODE_OPTIONS=--max-old-space-size=MiB$/],
    [["report", "--window", "1000000000", "--tokens", "1"], /^gaincell: --window 1000000000: a layer of 1 head of D 64 × M 1000000000 needs about [\d.]+ TiB of JavaScript heap/],
    [["attend", "--s-sat", "1e-320"], /^gaincell: config\.sSat: 1e-320 is too small: the largest charge, [\d.]+ µA·T_max, divided by S_sat\/2 is not a finite number/],
    // --clock-ps keeps the analog phases' ns: at 10 s a cycle a token is 28 cycles (LOAD 2, CONVERT 16, ACCUMULATE 5, five of 1)
    [["attend", "--clock-ps", "10000000000000"], /^gaincell: --clock-ps 10000000000000: 1100 tokens of 28 cycles × 10000000000000 ps end at 3\.09e\+17 ps, past the simulator's largest exact time/],
    [["attend", "--clock-ps", "1e15"], /^gaincell: config\.clockPeriodPs: one token of 28 cycles × 1000000000000000 ps is past the simulator's largest exact time/],
    // 64 output levels count to ±32, past the 16 cycles of CONVERT: the message says what to give with it
    [["report", "--levels-out", "64"], /^gaincell: config\.convertCycles: 16 cycles cannot count a magnitude of up to 32 \(levelsOut 64\); give convertCycles ≥ 32 with it/],
    [["report", "--config", "BIG_A_OUT"], /^gaincell: config\.aOut: 1e\+308 × the largest output, 16\.5, is not a finite number/],
  ])("%j", async (argv, message) => {
    const bigAOut = join(dir, "a-out.json");
    writeFileSync(bigAOut, '{"aOut": 1e308}');
    expectUserError(await cli(...argv.map((a) => (a === "BIG_A_OUT" ? bigAOut : a))), message);
  });

  it("a sweep point too large for this machine is a row with its error; the others run", async () => {
    const d = folder({ "d2.json": '{"D": 2}' });
    const r = await cli("sweep", "--config", join(d, "d2.json"), "--param", "window=4,1000000000", "--tokens", "1", "--jobs", "1", "--out", join(d, "sweep"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^2 points \(0 done before\), .*; 1 failed \(their error is in the CSV\)$/m);
    const csv = readFileSync(join(d, "sweep", "sweep.csv"), "utf8");
    expect(csv).toMatch(/the sweep point window=1000000000: a layer of 1 head of D 2 × M 1000000000 needs about [\d.]+ [GT]iB of JavaScript heap/);
  });

  it("a (2, 2000, 1) input is refused naming the file, not run into an out-of-memory abort", async () => {
    const d = folder();
    const file = join(d, "wide.npy");
    writeNpy(file, { shape: [2, 2000, 1], data: new Float64Array(4000).fill(0.5) });
    expectUserError(await cli("attend", "--q", file, "--k", file, "--v", file), /wide\.npy's shape \(2, 2000, 1\): a layer of 2000 heads of D 1 × M 1024 needs about [\d.]+ GiB of JavaScript heap/);
  });
});

describe("nothing silently ignored", () => {
  it.each([
    [["--signals", "*.seq.*"], /^gaincell: --signals shapes the trace: add --vcd FILE\.vcd$/],
    [["--from", "65ns"], /^gaincell: --from shapes the trace: add --vcd FILE\.vcd$/],
    [["--to", "65ns"], /^gaincell: --to shapes the trace: add --vcd FILE\.vcd$/],
    [["--trace-tokens", "2"], /^gaincell: --trace-tokens shapes the trace: add --vcd FILE\.vcd$/],
    [["--gtkw", "t.gtkw"], /^gaincell: --gtkw needs a trace to open: add --vcd FILE\.vcd$/],
    [["--waveforms", "steps"], /^gaincell: --waveforms shapes the trace: add --vcd FILE\.vcd$/],
    [["--vcd", "t.vcd", "--waveforms", "smooth"], /^gaincell: --waveforms: "smooth" is not ramps or steps$/],
    [["--out", ""], /^gaincell: --out: the value is empty$/],
    [["--vcd", "x.vcd", "--signals", ""], /^gaincell: --signals: the value is empty$/],
    [["--out", "same.npy", "--scores", "./same.npy"], /^gaincell: --out and --scores name the same file, same\.npy$/],
    [["--vcd", "t.vcd", "--signals", "layer.head[0].seq.stat,*.acc.*"], /^gaincell: --signals: "layer\.head\[0\]\.seq\.stat" matches no signal; close names: layer\.head\[0\]\.seq\.state, /],
  ])("attend %j is a usage error", async (argv, message) => {
    const d = folder();
    const r = await cli("attend", ...SMALL, ...argv.map((a) => (a.endsWith(".vcd") || a.endsWith(".npy") ? join(d, a) : a)));
    expectUsageError(r, new RegExp(message.source.replace("same\\.npy", ".*same\\.npy")));
    expect(listing(d)).toEqual([]);
  });

  it("report, review and sweep refuse an empty --out", async () => {
    expectUsageError(await cli("report", "--out", ""), /--out: the file name is empty/);
    expectUsageError(await cli("review", "--out", ""), /give --out DIR/);
    expectUsageError(await cli("sweep", "--param", "window=8", "--out", ""), /give --out DIR/);
  });

  it("a config file's D or heads that disagrees with the input files is an error naming both", async () => {
    const d = folder({ "d3.json": '{"D": 3}', "h2.json": '{"heads": 2}', "ok.json": '{"D": 4, "heads": 1}' });
    const file = join(d, "q.npy");
    writeNpy(file, { shape: [5, 4], data: new Float64Array(20).fill(0.5) });
    const inputs = ["--q", file, "--k", file, "--v", file, "--window", "4"];
    expectUserError(await cli("attend", ...inputs, "--config", join(d, "d3.json")), /^gaincell: config\.D: 3 \(in .*d3\.json\) disagrees with .*q\.npy's shape \(5, 4\), D = 4$/);
    expectUserError(await cli("attend", ...inputs, "--config", join(d, "h2.json")), /^gaincell: config\.heads: 2 \(in .*h2\.json\) disagrees with .*q\.npy's shape \(5, 4\), 1 head\(s\)$/);
    expectUserError(await cli("attend", "--dims", "5", "--tokens", "3", "--config", join(d, "d3.json")), /^gaincell: config\.D: 3 \(in .*d3\.json\) disagrees with --dims 5$/);
    expect((await cli("attend", ...inputs, "--config", join(d, "ok.json"))).code).toBe(0);
    // the seeded stream takes D from the config file when --dims is not given
    const r = await cli("attend", "--tokens", "3", "--window", "4", "--config", join(d, "d3.json"), "--functional");
    expect(r.stdout).toMatch(/^functional reference: 3 tokens × 1 head\(s\), D 3, M 4/);
  });

  it("counts the values clamped to each input's range in the summary", async () => {
    const d = folder();
    const T = 40, D = 8; // 320 values per input
    const q = Float64Array.from({ length: T * D }, (_, i) => (i < 12 ? 1.5 : i < 15 ? -0.1 : 0.5));
    const k = Float64Array.from({ length: T * D }, (_, i) => (i % 100 === 0 ? 0.95 : 0.3));
    const v = new Float64Array(T * D).fill(0.9); // 0.9 V is the top of the range, not past it
    for (const [name, data] of [["q", q], ["k", k], ["v", v]] as const) writeNpy(join(d, `${name}.npy`), { shape: [T, D], data });
    const r = await cli("attend", "--q", join(d, "q.npy"), "--k", join(d, "k.npy"), "--v", join(d, "v.npy"), "--window", "16", "--functional");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("\nq: 15 of 320 values clamped to [0, 1]\nk: 4 of 320 values clamped to [0, 0.9]\n");
    expect(r.stdout).not.toMatch(/^v: /m);
  });
});

test("A.npy from a run that succeeds is NumPy's float64 (the streamed writer's bytes)", async () => {
  const d = folder();
  const r = await cli("attend", ...SMALL, "--functional", "--out", join(d, "A.npy"));
  expect(r.code).toBe(0);
  const a = readNpy(join(d, "A.npy"));
  expect(a.shape).toEqual([30, 2]);
  expect(statSync(join(d, "A.npy")).size % 64).toBe((30 * 2 * 8) % 64); // the header pads the data to 64 bytes
});
