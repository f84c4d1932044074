// Where a report came from: the tool's version, the command line, a hash of everything the figures
// depend on, and the date (SOURCE_DATE_EPOCH when set, for reproducible files).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { outputDate } from "../engine/sourceDate.js";

/** The provenance stated in every report, sweep and review page. */
export interface RunProvenance {
  /** `gaincell <version>`. */
  tool: string;
  /** The command line as typed (quoted where a shell would need it). */
  command: string;
  /** First 16 hex digits of the SHA-256 of the canonical JSON of what the figures depend on. */
  configHash: string;
  /** ISO 8601, UTC: SOURCE_DATE_EPOCH when set, else now. */
  date: string;
}

/** The folder of gaincell's package.json above this module (whether run from the sources or dist/). */
export function packageRoot(): string | null {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as { name?: string }).name === "gaincell") return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** The package's version. */
export function toolVersion(): string {
  const root = packageRoot();
  return root === null ? "unknown" : ((JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: string }).version ?? "unknown");
}

/** JSON with object keys sorted at every level, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v);
}

/** First 16 hex digits of the SHA-256 of `value`'s canonical JSON. */
export function configHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex").slice(0, 16);
}

/** The date of a run: SOURCE_DATE_EPOCH (whole seconds since 1970) when set, else now (engine/sourceDate.ts). */
export function runDate(): string {
  return outputDate().toISOString();
}

/** A word for a POSIX shell: as it is when safe, else single-quoted. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A command line as one string, arguments quoted where a POSIX shell would need it. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(shellWord).join(" ");
}

/** The provenance of a run of `argv` (without node and the script) whose figures depend on `basis`. */
export function runProvenance(argv: readonly string[], basis: unknown): RunProvenance {
  return { tool: `gaincell ${toolVersion()}`, command: commandLine(["gaincell", ...argv]), configHash: configHash(basis), date: runDate() };
}

/** First 16 hex digits of the SHA-256 of a run's inputs (shape and the q, k, v values). */
export function inputsHash(x: { T: number; H: number; D: number; q: Float64Array; k: Float64Array; v: Float64Array }): string {
  const h = createHash("sha256").update(`${x.T}x${x.H}x${x.D}`);
  for (const a of [x.q, x.k, x.v]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest("hex").slice(0, 16);
}
