// `gaincell sweep --jobs N` from the built CLI (the worker pool attend's heads use, workerPool.ts):
// every file of the sweep folder the same bytes on 1, 2 and 3 threads, ideal and realised chips; and
// Ctrl-C or SIGTERM stops every thread, exits 130, leaves only whole point records (no partial file),
// and the same command then resumes to the bytes of an uninterrupted run.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPwm64Cli, ROOT } from "./support/build.js";

const EXIT_INTERRUPTED = 130;
// the provenance's date, so that runs at different times write the same bytes
const env = { ...process.env, SOURCE_DATE_EPOCH: "1700000000" };
let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sweep-jobs-test-"));
  writeFileSync(join(dir, "d8.json"), JSON.stringify({ D: 8, tile: 8 }));
  buildPwm64Cli(); // tsc into dist/, where the sweep worker's compiled file lives
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sweep = (...args: string[]) => spawnSync("node", ["bin/gaincell.js", "sweep", ...args], { cwd: ROOT, encoding: "utf8", env });

/** Every file under `folder`, by its path relative to it, with its bytes. */
function filesOf(folder: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(folder.length + 1), readFileSync(path));
  }
  return files;
}

function expectSameFolders(a: string, b: string): void {
  const x = filesOf(a);
  const y = filesOf(b);
  expect([...y.keys()].sort()).toEqual([...x.keys()].sort());
  for (const [name, bytes] of x) expect(y.get(name)!.equals(bytes), name).toBe(true);
}

describe("sweep --jobs", () => {
  it("writes the same folder, byte for byte, on 1, 2 and 3 threads: the ideal chip and a realised one per point", () => {
    for (const [name, axes] of [
      ["ideal", ["--param", "window=8,16", "--param", "levels-kv=2,8", "--accuracy"]],
      ["realised", ["--param", "sigmaGain=0,0.1,0.3", "--param", "window=8,16", "--variation", "mild", "--variation-seed", "4"]],
    ] as const) {
      const outs = [1, 2, 3].map((jobs) => {
        const out = join(dir, `${name}-j${jobs}`);
        const r = sweep("--config", join(dir, "d8.json"), ...axes, "--seed", "3", "--tokens", "3", "--jobs", String(jobs), "--out", out);
        expect([r.status, r.stderr]).toEqual([0, ""]);
        expect(r.stdout).toMatch(jobs === 1 ? / on one thread in / : new RegExp(` on ${jobs} worker threads in `));
        return out;
      });
      expectSameFolders(outs[0], outs[1]);
      expectSameFolders(outs[0], outs[2]);
    }
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`${signal} stops every thread: exit 130, whole point records only, and the same command resumes to an uninterrupted run's bytes`, async () => {
      const out = join(dir, `stopped-${signal}`);
      // points long enough that some are still running when the first is recorded
      const args = ["--param", "window=512,640,768,896", "--param", "levels-out=16,32", "--seed", "3", "--tokens", "8", "--jobs", "2", "--out", out];
      const child = spawn("node", ["bin/gaincell.js", "sweep", ...args], { cwd: ROOT, env });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
      // once a point is recorded (the pool is up and working), interrupt
      const points = join(out, "points");
      const poll = setInterval(() => {
        if (existsSync(points) && readdirSync(points).length > 0) {
          clearInterval(poll);
          child.kill(signal);
        }
      }, 20);
      const code = await closed;
      clearInterval(poll);
      expect(code).toBe(EXIT_INTERRUPTED);
      const recorded = readdirSync(points);
      expect(stderr).toBe(`gaincell: sweep interrupted; ${recorded.length} points are recorded in ${out}: run the same command to resume\n`);
      expect(recorded.length).toBeLessThan(8);
      // nothing but the definition and whole point records: no result file, no temporary file
      expect(readdirSync(out).sort()).toEqual(["points", "sweep-definition.json"]);
      for (const f of recorded) {
        expect(f).toMatch(/^\d{6}\.json$/);
        expect(() => JSON.parse(readFileSync(join(points, f), "utf8"))).not.toThrow();
      }
      const resumed = sweep(...args);
      expect([resumed.status, resumed.stderr]).toEqual([0, ""]);
      expect(resumed.stdout).toMatch(new RegExp(`^8 points \\(${recorded.length} done before\\)`));
      const whole = join(dir, `whole-${signal}`);
      expect(sweep(...args.slice(0, -1), whole).status).toBe(0);
      expectSameFolders(whole, out);
    }, 300_000);
  }
});
