// Issue 9 as a user meets it on the command line: every output whole or absent (a full disk, bad
// output paths found before the run), sizes and values refused with a line naming the option,
// nothing silently ignored, and the process ending well on signals, closed pipes and errors.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, test } from "vitest";
import { main } from "../src/cli/main.js";
import { readNpy, writeNpy } from "../src/cli/npy.js";
import { parseVcd } from "../src/engine/VcdReader.js";
import { usePrivateBuild } from "./support/build.js";
import { captured, folderMaker } from "./support/capture.js";
import { mountTmpfs, skipWithoutTmpfs, tmpfsTest, type Tmpfs } from "./support/tmpfs.js";
import { toolTest } from "./support/tools.js";

const it_script = toolTest(["script"]);
const dir = mkdtempSync(join(tmpdir(), "outputs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const built = usePrivateBuild();

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

/** Expects a usage error: exit 2, a first line matching `message`, then the usage. */
function expectUsageError(r: Run, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.split("\n")[0]).toMatch(message);
  expect(r.stderr).toMatch(/\nusage: gaincell/);
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

  tmpfsTest("sweep: a folder that does not fit is not written at all, and an earlier one stays", 48, async ({ dir: fs }) => {
    mkdirSync(join(fs, "sweep"));
    writeFileSync(join(fs, "sweep", "sweep.csv"), "old csv");
    const r = await cli("sweep", "--param", "window=4,8", "--dims", "2", "--tokens", "1", "--out", join(fs, "sweep"));
    expect(r.code).toBe(2); // --dims is not a sweep option: the folder is untouched by a usage error too
    const config = join(fs, "d2.json");
    writeFileSync(config, '{"D": 2}');
    writeFileSync(join(fs, "filler"), Buffer.alloc(40 * 1024)); // leave ~8 KiB: the charts do not fit
    const full = await cli("sweep", "--config", config, "--param", "window=4,8", "--tokens", "1", "--jobs", "1", "--out", join(fs, "sweep"));
    expectUserError(full, /sweep\/[a-z]+\.(svg|json|csv): cannot write: no space left on device$/);
    expect(listing(fs)).toEqual(["d2.json", "filler", "sweep"]);
    expect(listing(join(fs, "sweep"))).toEqual(["sweep.csv"]);
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
    expectUserError(await cli("sweep", "--param", "window=50000", "--out", join(d, "plain")), /plain: cannot write: it is a file, not a folder$/);
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
    [["sweep", "--param", "window=64,1000000000", "--out", join(dir, "never")], /^gaincell: the sweep point window=1000000000: a layer of 1 head of D 64 × M 1000000000/],
    [["attend", "--s-sat", "1e-320"], /^gaincell: config\.sSat: 1e-320 is too small: the largest charge, [\d.]+ µA·T_max, divided by S_sat\/2 is not a finite number/],
    [["attend", "--clock-ps", "10000000000000"], /^gaincell: --clock-ps 10000000000000: 1100 tokens of 65 cycles × 10000000000000 ps end at 7\.16e\+17 ps, past the simulator's largest exact time/],
    [["attend", "--clock-ps", "1e15"], /^gaincell: config\.clockPeriodPs: one token of 65 cycles × 1000000000000000 ps is past the simulator's largest exact time/],
    [["report", "--config", "BIG_A_OUT"], /^gaincell: config\.aOut: 1e\+308 × the largest output, 16\.5, is not a finite number/],
  ])("%j", async (argv, message) => {
    const bigAOut = join(dir, "a-out.json");
    writeFileSync(bigAOut, '{"aOut": 1e308}');
    expectUserError(await cli(...argv.map((a) => (a === "BIG_A_OUT" ? bigAOut : a))), message);
    expect(existsSync(join(dir, "never"))).toBe(false);
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

/** Bytes of the temporary file beside `dir/name` (being written), or -1 when there is none yet. */
function temporaryBytes(dir: string, name: string): number {
  const temp = readdirSync(dir).find((f) => f.startsWith(`.${name}.`) && f.endsWith(".tmp"));
  return temp === undefined ? -1 : statSync(join(dir, temp)).size;
}

/**
 * Runs the built CLI in `cwd`. With `signal`, sends it once `ready()` holds (polled every 20 ms:
 * something the run makes visible on disk, so the signal lands in the phase under test).
 */
function spawnCli(args: string[], cwd: string, o: { signal?: NodeJS.Signals; ready?: () => boolean; closeStdout?: boolean } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("node", [built().cli, ...args], { cwd });
    let stdout = "";
    let stderr = "";
    if (o.closeStdout) child.stdout.destroy();
    else child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const poll = o.signal === undefined ? undefined : setInterval(() => {
      if (!(o.ready?.() ?? true)) return;
      clearInterval(poll);
      child.kill(o.signal);
    }, 20);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(poll);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("signals and pipes", () => {
  it("EPIPE on stdout: report | (reader gone) ends quietly with exit 0", async () => {
    const r = await spawnCli(["report", "--window", "16", "--tokens", "2", "--format", "csv"], dir, { closeStdout: true });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  }, 60_000);

  it("stdout on a full device: one line and exit 1", () => {
    const r = spawnSync("sh", ["-c", `node ${built().cli} report --window 16 --tokens 2 > /dev/full`], { encoding: "utf8" });
    expect(r.stderr).toBe("gaincell: stdout: cannot write: no space left on device\n");
    expect(r.status).toBe(1);
  }, 60_000);

  it("SIGTERM during setup and a functional run (synchronous work): one line, exit 130, no output and no temporary left", async () => {
    const d = folder();
    // the outputs' temporary files are made first; drawing the stream and the run follow without a pause
    const r = await spawnCli(["attend", "--functional", "--tokens", "4000", "--heads", "2", "--out", "A.npy", "--scores", "S.npy"], d,
      { signal: "SIGTERM", ready: () => temporaryBytes(d, "S.npy") >= 0 });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toBe("gaincell: interrupted (SIGTERM); nothing written\n");
    expect(r.stdout).toBe("");
    expect(listing(d)).toEqual([]);
  }, 120_000);

  it("SIGINT during a traced run: exit 130, the trace complete up to the stop and renamed into place, no A.npy", async () => {
    const d = folder();
    const r = await spawnCli(["attend", "--tokens", "100000", "--window", "16", "--dims", "4", "--vcd", "t.vcd", "--out", "A.npy"], d,
      { signal: "SIGINT", ready: () => temporaryBytes(d, "t.vcd") > 0 });
    expect(r.code, r.stderr).toBe(130);
    const stoppedAt = Number(/^gaincell: interrupted after \d+ of 100000 tokens; the trace up to (\d+) ps is complete; no other output written\n$/.exec(r.stderr)?.[1]);
    expect(stoppedAt).toBeGreaterThan(0);
    expect(listing(d)).toEqual(["t.vcd"]);
    expect(parseVcd(readFileSync(join(d, "t.vcd"), "latin1"), "t.vcd").endTime).toBe(stoppedAt);
  }, 120_000);

  it("SIGINT during a sweep on worker threads: one line, exit 130, the workers stopped, no folder and no temporary", async () => {
    const d = folder();
    // 2,000 tokens at each of three windows keep two workers busy for a while; by 3 s they have started
    const started = Date.now();
    const r = await spawnCli(["sweep", "--param", "window=256,512,1024", "--tokens", "2000", "--jobs", "2", "--out", "sweep"], d,
      { signal: "SIGINT", ready: () => Date.now() - started > 3000 });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toBe("gaincell: interrupted (SIGINT); nothing written\n");
    expect(listing(d)).toEqual([]);
  }, 120_000);
});

describe("the terminal", () => {
  /** Runs `args` under a pseudo-terminal (script), so the progress bar shows; returns the bytes it printed. */
  function underTerminal(args: string[], cwd: string): { status: number | null; output: string } {
    const command = ["node", built().cli, ...args].map((a) => `'${a}'`).join(" ");
    const r = spawnSync("script", ["-qec", command, "/dev/null"], { cwd, encoding: "utf8" });
    return { status: r.status, output: r.stdout };
  }
  const HIDE = "\x1b[?25l";
  const SHOW = "\x1b[?25h";

  it_script("an error after the progress bar started shows the cursor again", (ctx) => {
    const fs = mountTmpfs(64);
    if (typeof fs === "string") skipWithoutTmpfs(ctx, fs);
    try {
      const r = underTerminal(["attend", "--tokens", "400", "--window", "16", "--dims", "4", "--vcd", join((fs as Tmpfs).dir, "t.vcd")], dir);
      expect(r.status).toBe(1);
      expect(r.output).toContain("t.vcd: cannot write: no space left on device");
      expect(r.output).toContain(HIDE);
      expect(r.output.lastIndexOf(SHOW)).toBeGreaterThan(r.output.lastIndexOf(HIDE));
    } finally {
      (fs as Tmpfs).unmount();
    }
  }, 60_000);

  it_script("a normal run shows the cursor again", () => {
    const r = underTerminal(["attend", "--tokens", "200", "--window", "16", "--dims", "4"], dir);
    expect(r.status).toBe(0);
    expect(r.output).toContain(HIDE);
    expect(r.output.lastIndexOf(SHOW)).toBeGreaterThan(r.output.lastIndexOf(HIDE));
  }, 60_000);
});

test("A.npy from a run that succeeds is NumPy's float64 (the streamed writer's bytes)", async () => {
  const d = folder();
  const r = await cli("attend", ...SMALL, "--functional", "--out", join(d, "A.npy"));
  expect(r.code).toBe(0);
  const a = readNpy(join(d, "A.npy"));
  expect(a.shape).toEqual([30, 2]);
  expect(statSync(join(d, "A.npy")).size % 64).toBe((30 * 2 * 8) % 64); // the header pads the data to 64 bytes
});
