// A sweep as a Slurm job array: DIR/sweep.sbatch, whose task I runs shard I of N (`--shard auto`
// reads SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT) into DIR/shards/I, with absolute paths to
// node and the built CLI so that it runs from any working directory and as any user (root in CI).
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { GaincellError } from "../errors.js";
import { packageRoot, shellWord } from "./provenance.js";

/** The built CLI (bin/gaincell.js, which runs dist/), absolute; an error says how to build it. */
export function builtCli(): string {
  const root = packageRoot();
  if (root === null || !existsSync(join(root, "dist/src/cli/main.js"))) {
    throw new GaincellError(`the built CLI is missing (${root === null ? "no gaincell package found" : join(root, "dist/src/cli/main.js")}): run npm run build first, Slurm tasks run it`);
  }
  return join(root, "bin/gaincell.js");
}

/** What the job array runs. */
export interface SlurmSweep {
  /** The sweep's folder, absolute. */
  dir: string;
  /** Tasks (shards). */
  shards: number;
  /** The sweep's arguments without --out, --shard, --jobs, --slurm and --shards. */
  args: readonly string[];
  /** Working directory the arguments' relative paths are relative to. */
  cwd: string;
  node: string;
  cli: string;
}

/** The merge command for a sweep folder (its shards' folders by a glob). */
export function mergeCommand(s: Pick<SlurmSweep, "dir" | "node" | "cli">): string {
  return `${shellWord(s.node)} ${shellWord(s.cli)} sweep merge ${shellWord(join(s.dir, "shards"))}/* --out ${shellWord(s.dir)}`;
}

/** The text of DIR/sweep.sbatch. */
export function sbatchScript(s: SlurmSweep): string {
  const dir = resolve(s.dir);
  return [
    "#!/bin/bash",
    `# gaincell sweep as a job array of ${s.shards} tasks: task I runs shard I/${s.shards} of the grid into ${join(dir, "shards")}/I`,
    "# (a task rerun skips the points its shard has done). When all have finished, merge them:",
    `#   ${mergeCommand({ ...s, dir })}`,
    "#SBATCH --job-name=gaincell-sweep",
    `#SBATCH --array=0-${s.shards - 1}`,
    "#SBATCH --ntasks=1",
    "#SBATCH --cpus-per-task=1",
    `#SBATCH --output=${join(dir, "logs")}/shard-%a.out`,
    "set -euo pipefail",
    `cd ${shellWord(s.cwd)}`,
    `exec ${[s.node, s.cli, "sweep", ...s.args].map(shellWord).join(" ")} --shard auto --jobs 1 --out ${shellWord(join(dir, "shards"))}/"$SLURM_ARRAY_TASK_ID"`,
    "",
  ].join("\n");
}
