// NumPy as an independent reference: a test that needs it is skipped without it locally and fails
// under CI (as test/support/tools.ts does for the other tools); scripts run with `np` imported.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test, type TestContext } from "vitest";

/** Debian's python3-numpy installs into the system Python; a python3 first on PATH may lack it. */
export const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const HAS_NUMPY = spawnSync(PYTHON, ["-c", "import numpy"]).status === 0;

/** A test that needs NumPy: skipped without it, failed under CI. */
export function it_numpy(name: string, body: (ctx: TestContext) => unknown, timeoutMs?: number): void {
  test(name, (ctx) => {
    if (!HAS_NUMPY) {
      const ci = process.env.CI ?? "";
      const message = `needs NumPy for ${PYTHON}; install with: apt-get install -y python3-numpy`;
      if (ci !== "" && ci !== "0" && ci.toLowerCase() !== "false") throw new Error(message);
      ctx.skip(message);
    }
    return body(ctx);
  }, timeoutMs);
}

/** Runs a Python script with `json` and NumPy as `np` imported, in `cwd`, feeding `stdin`; returns its stdout. */
export function python(script: string, cwd?: string, stdin?: string): string {
  const r = spawnSync(PYTHON, ["-c", `import json, numpy as np\n${script}`], { cwd, encoding: "utf8", input: stdin, maxBuffer: 1 << 28 });
  if (r.error !== undefined) throw new Error(`${PYTHON}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`python failed:\n${r.stderr}`);
  return r.stdout;
}
