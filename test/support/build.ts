// Compiles the project with tsc for tests that run the built CLI (`node <outDir>/bench/pwm64/main.js`).
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

// What the pwm64 CLI is built from; type errors elsewhere (work in progress in other layers) do not
// stop tsc emitting these files, so they do not fail the tests that run them.
const PWM64_SOURCES = /^(bench\/pwm64\/|src\/engine\/)/m;

/**
 * Runs `npx tsc -p .` (into `outDir` when given, else the project's dist/) and returns the path of the
 * built pwm64 CLI; throws when tsc fails on a file that CLI is built from.
 */
export function buildPwm64Cli(outDir?: string): string {
  const args = ["tsc", "-p", ".", ...(outDir === undefined ? [] : ["--outDir", outDir])];
  const result = spawnSync("npx", args, { cwd: ROOT, encoding: "utf8" });
  if (result.error !== undefined) throw new Error(`npx ${args.join(" ")}: ${result.error.message}`);
  const errors = `${result.stdout}${result.stderr}`;
  if (result.status !== 0 && (PWM64_SOURCES.test(errors) || !/error TS\d+/.test(errors))) {
    throw new Error(`npx ${args.join(" ")} exited with ${result.status}:\n${errors}`);
  }
  return resolve(ROOT, outDir ?? "dist", "bench/pwm64/main.js");
}
