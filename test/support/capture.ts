// Runs a command in this process with its stdout and stderr captured, as the tests of the CLI read them.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { vi } from "vitest";

/** What a command returned and printed. */
export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `command` (e.g. `() => main(argv)`) with process.stdout and process.stderr captured. */
export async function captured(command: () => Promise<number>): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { code: await command(), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

/** A maker of fresh numbered folders under `root`, each holding the given files (name → text). */
export function folderMaker(root: () => string): (files?: Record<string, string>) => string {
  let n = 0;
  return (files = {}) => {
    const d = join(root(), `case${n++}`);
    mkdirSync(d);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
    return d;
  };
}
