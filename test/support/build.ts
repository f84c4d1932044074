// Compiles the project with tsc for tests that run the built CLI (`node <outDir>/bench/pwm64/main.js`).
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";

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

// The sources the gaincell CLI is built from; type errors elsewhere (others' work in progress) still emit.
const CLI_SOURCES = /^(src\/(arch|analog|control|functional|engine|laws|report)\/|src\/cli\/|src\/[^/]+\.ts)/m;

/** A private build of the project: `cli` runs like bin/gaincell.js in a clone, `dist` holds the compiled sources. */
export interface PrivateBuild {
  root: string;
  dist: string;
  cli: string;
  dispose(): void;
}

/**
 * Compiles the project into a fresh folder under node_modules/.cache (other test files may be
 * writing dist/; inside the repository the build finds node_modules), with bin/gaincell.js beside
 * it importing ../dist/src/cli/main.js as in a clone.
 */
export function buildPrivate(): PrivateBuild {
  mkdirSync(join(ROOT, "node_modules", ".cache"), { recursive: true });
  const root = mkdtempSync(join(ROOT, "node_modules", ".cache", "cli-test-"));
  const dist = join(root, "dist");
  const tsc = spawnSync("npx", ["tsc", "-p", ".", "--outDir", dist], { cwd: ROOT, encoding: "utf8" });
  const errors = `${tsc.stdout}${tsc.stderr}`;
  if (tsc.status !== 0 && (CLI_SOURCES.test(errors) || !/error TS\d+/.test(errors))) throw new Error(`npx tsc -p . failed:\n${errors}`);
  mkdirSync(join(root, "bin"));
  const cli = join(root, "bin", "gaincell.js");
  copyFileSync(join(ROOT, "bin", "gaincell.js"), cli);
  return { root, dist, cli, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** A private build for the calling test file: made before its tests, removed after them; call the result once built. */
export function usePrivateBuild(): () => PrivateBuild {
  let build: PrivateBuild | undefined;
  beforeAll(() => {
    build = buildPrivate();
  });
  afterAll(() => build?.dispose());
  return () => build!;
}
