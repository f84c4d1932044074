// A sweep on a real Slurm cluster (.ci/slurm/start makes a one-node one): `sweep --slurm` writes the
// job array, `sbatch --wait` runs it, the printed dependent-merge line merges the shards, and the
// result equals the unsharded run byte for byte. Skipped where no cluster answers (with the command
// that starts one), failed under CI.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { buildPwm64Cli, ROOT } from "./support/build.js";
import { hasTool, underCi } from "./support/tools.js";

const START = "sudo .ci/slurm/start   # needs: apt-get install -y slurm-wlm munge";
const dir = mkdtempSync(join(tmpdir(), "slurm-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Why no cluster can take jobs here, or null when one can. */
function clusterProblem(): string | null {
  if (!hasTool("sbatch") || !hasTool("sinfo")) return "Slurm is not installed (sbatch, sinfo not on PATH)";
  const r = spawnSync("sinfo", ["-h", "-o", "%T"], { encoding: "utf8", timeout: 20_000 });
  if (r.status !== 0) return `sinfo fails: ${(r.stderr || String(r.error)).trim().split("\n")[0]}`;
  return /\b(idle|mixed|allocated)/.test(r.stdout) ? null : `no node takes jobs (sinfo: ${r.stdout.trim() || "nothing"})`;
}

const env = { ...process.env, SOURCE_DATE_EPOCH: "1700000000" };
const gaincell = (...args: string[]) => spawnSync(process.execPath, ["bin/gaincell.js", ...args], { cwd: ROOT, encoding: "utf8", env });

test("a sweep's job array on Slurm, merged, equals the unsharded run byte for byte", (ctx) => {
  const problem = clusterProblem();
  if (problem !== null) {
    if (underCi()) throw new Error(`${problem}; .ci/run starts a cluster with .ci/slurm/start`);
    ctx.skip(`${problem}; start a one-node cluster with: ${START}`);
  }
  buildPwm64Cli(); // the tasks run the built CLI
  const config = join(dir, "d8.json");
  writeFileSync(config, JSON.stringify({ D: 8, tile: 8 }));
  const sweep = ["sweep", "--config", config, "--param", "window=8,16", "--param", "levels-kv=2,8", "--param", "clock-ps=500,1000", "--accuracy", "--tokens", "2"];

  const one = gaincell(...sweep, "--jobs", "1", "--out", join(dir, "one"));
  expect(one.stderr).toBe("");
  expect(one.status).toBe(0);

  const out = join(dir, "cluster");
  const plan = gaincell(...sweep, "--slurm", "--shards", "3", "--out", out);
  expect(plan.stderr).toBe("");
  expect(plan.status).toBe(0);
  expect(readFileSync(join(out, "sweep.sbatch"), "utf8")).toContain("#SBATCH --array=0-2");
  const array = spawnSync("sbatch", ["--parsable", "--wait", join(out, "sweep.sbatch")], { encoding: "utf8", env, timeout: 170_000 });
  const logs = () => [0, 1, 2].map((i) => readFileSync(join(out, "logs", `shard-${i}.out`), "utf8")).join("");
  expect(array.status, `${array.stderr}\n${logs()}`).toBe(0);
  const jobId = array.stdout.trim().split(";")[0];
  expect(logs()).toMatch(/^shard 0\/3: 3 points \(0 done before\)/);

  // the merge as the tool says, in a job that depends on the array (done, so it runs at once)
  const dependent = plan.stdout.split("\n").find((l) => l.trim().startsWith("sbatch --dependency=afterok:$jobid"))!;
  const merge = spawnSync("bash", ["-c", `jobid=${jobId}; ${dependent.trim().replace(/^sbatch /, "sbatch --wait ")}`], { encoding: "utf8", env, timeout: 120_000 });
  expect(merge.status, merge.stderr).toBe(0);
  expect(readFileSync(join(out, "logs", "merge.out"), "utf8")).toMatch(/^merged 8 points from 3 folders\n/);

  for (const f of ["sweep.csv", "sweep.json", "energy.svg", "latency.svg", "area.svg", "accuracy.svg"]) {
    expect(readFileSync(join(out, f)), f).toEqual(readFileSync(join(dir, "one", f)));
  }
}, 240_000);
