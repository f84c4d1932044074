// How the built gaincell ends when not by finishing its command: SIGTERM in synchronous work, SIGINT
// in a traced run and in a sweep on worker threads, a closed or full stdout, and the cursor after
// an error under a terminal (issue 9). Signals are sent once the run makes its phase visible on disk.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseVcd } from "../src/engine/VcdReader.js";
import { usePrivateBuild } from "./support/build.js";
import { folderMaker } from "./support/capture.js";
import { mountTmpfs, skipWithoutTmpfs, type Tmpfs } from "./support/tmpfs.js";
import { toolTest } from "./support/tools.js";

const it_script = toolTest(["script"]);
const dir = mkdtempSync(join(tmpdir(), "process-ends-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const built = usePrivateBuild();
const folder = folderMaker(() => dir);
const listing = (d: string) => readdirSync(d).sort();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

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

  it("SIGINT during a sweep on worker threads: one line saying what is kept, exit 130, the workers stopped, no results and no temporary", async () => {
    const d = folder();
    // 2,000 tokens at each of three windows keep two workers busy for a while; by 3 s they have started
    const started = Date.now();
    const r = await spawnCli(["sweep", "--param", "window=256,512,1024", "--tokens", "2000", "--jobs", "2", "--out", "sweep"], d,
      { signal: "SIGINT", ready: () => Date.now() - started > 3000 });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^gaincell: (sweep interrupted; [0-3] points are recorded in sweep: run the same command to resume|interrupted \(SIGINT\); nothing written)\n$/);
    // the store of finished points (to resume from), and no sweep.csv, sweep.json or chart
    expect(listing(d).filter((f) => f !== "sweep")).toEqual([]);
    if (listing(d).length > 0) expect(listing(join(d, "sweep"))).toEqual(["points", "sweep-definition.json"]);
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

