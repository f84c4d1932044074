// Runs the external references our traces are checked against (Icarus Verilog, GTKWave, the FST
// converters) headless, and gates tests on their presence: skipped locally, failed under CI.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { test, type TestContext } from "vitest";

/** The one command that installs every tool these helpers use (Debian/Ubuntu). */
export const INSTALL_TOOLS = "apt-get install -y gtkwave xvfb xauth iverilog";

/** The Verilog reference design of the kernel benchmark (bench/pwm64/pwm64.v). */
export const PWM64_VERILOG = resolve(dirname(fileURLToPath(import.meta.url)), "../../bench/pwm64/pwm64.v");

// A hung GTKWave must not hang the suite; `timeout` signals its whole process group (Xvfb too).
const GTKWAVE_TIMEOUT_S = 60;
const MAX_OUTPUT_BYTES = 1 << 30;

/** True when `name` is an executable on PATH. */
export function hasTool(name: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** True under CI (CI set and not "0" or "false"): a missing tool fails a test there instead of skipping it. */
export function underCi(): boolean {
  const ci = process.env.CI ?? "";
  return ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

function missingMessage(missing: string[]): string {
  return `needs ${missing.join(", ")}, not found on PATH; install with: ${INSTALL_TOOLS}`;
}

/** True when `name` is installed; when it is not: throws under CI (so the run fails), else false. */
export function requireTool(name: string): boolean {
  if (hasTool(name)) return true;
  if (underCi()) throw new Error(missingMessage([name]));
  return false;
}

/** A vitest `test` that needs every tool in `tools`: skipped with the install hint when one is missing, failed under CI. */
export type ToolTest = (name: string, body: (ctx: TestContext) => unknown, timeoutMs?: number) => void;

/** Builds a `test` gated on `tools`, e.g. `const it_gtkwave = toolTest(["gtkwave", "xvfb-run"])`. */
export function toolTest(tools: string[]): ToolTest {
  return (name, body, timeoutMs) =>
    test(name, (ctx) => {
      const missing = tools.filter((tool) => !hasTool(tool));
      if (missing.length > 0) {
        if (underCi()) throw new Error(missingMessage(missing));
        ctx.skip(missingMessage(missing));
      }
      return body(ctx);
    }, timeoutMs);
}

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: MAX_OUTPUT_BYTES });
}

function check(result: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
  if (result.error !== undefined) throw new Error(`${what}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${what} exited with ${result.status ?? result.signal}:\n${result.stderr}`);
  return result;
}

function withTempDir<T>(prefix: string, body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A finished Icarus run; `dispose` deletes its working directory and the VCD in it. */
export interface IcarusRun {
  vcdPath: string;
  stdout: string;
  dispose(): void;
}

/**
 * Compiles `verilogPath` with `iverilog -g2012`, overriding `params` (e.g. `{ "pwm64.CYCLES": 40 }`),
 * runs it with `vvp -n` in a fresh directory and returns where its `$dumpfile` `dumpFile` landed.
 */
export function simulateIcarus(verilogPath: string, dumpFile: string, params: Record<string, number | string> = {}): IcarusRun {
  const dir = mkdtempSync(join(tmpdir(), "icarus-"));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    const overrides = Object.entries(params).flatMap(([name, value]) => ["-P", `${name}=${value}`]);
    check(run("iverilog", ["-g2012", "-o", "sim", ...overrides, resolve(verilogPath)], dir), `iverilog ${verilogPath}`);
    const sim = check(run("vvp", ["-n", "sim"], dir), `vvp (${verilogPath})`);
    const vcdPath = join(dir, dumpFile);
    if (!existsSync(vcdPath)) throw new Error(`vvp ran ${verilogPath} but wrote no ${dumpFile}; is $dumpfile enabled?`);
    return { vcdPath, stdout: sim.stdout, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

/** What GTKWave made of a file. */
export interface GtkwaveReport {
  /** Facility names as GTKWave lists them, e.g. `pwm64.ch[0].u.count[3:0]` (vectors carry their range). */
  signals: string[];
  /** First and last time, in the base unit of `$timescale` (so `#5` at 10ps reads 50); NaN if not loaded. */
  minTime: number;
  maxTime: number;
  /** Signals shown in the wave window (from a save file), full names with ranges. */
  displayed: string[];
  /** Rows of the wave window in order, with GTKWave's flags (0x800000 opens a group, 0x1000000 closes it). */
  traces: { flags: number; name: string }[];
  /** The probes' values, in order, as the wave window shows them. */
  values: string[];
  stderr: string;
  /** Every line GTKWave, Xvfb or the harness printed that is not part of a clean load. */
  warnings: string[];
}

// Our lines carry a tag so that nothing GTKWave itself prints can pass for them.
const INSPECT_TCL = `
set n [gtkwave::getNumFacs]
puts "@@FACS $n"
for {set i 0} {$i < $n} {incr i} { puts "@@FAC [gtkwave::getFacName $i]" }
foreach s [gtkwave::getDisplayedSignals] { puts "@@SHOWN $s" }
set t [gtkwave::getTotalNumTraces]
for {set i 0} {$i < $t} {incr i} { puts "@@TRACE [gtkwave::getTraceFlagsFromIndex $i] [gtkwave::getTraceNameFromIndex $i]" }
puts "@@MINTIME [gtkwave::getMinTime]"
puts "@@MAXTIME [gtkwave::getMaxTime]"
`;

/** A value to read off the wave window: the trace named `name` at `timePs`, as GTKWave renders it (through its translate filter). */
export interface GtkwaveProbe {
  name: string;
  timePs: number;
}

const probeTcl = (probes: readonly GtkwaveProbe[]) => probes.map(({ name, timePs }) =>
  `gtkwave::setMarker ${timePs}\nputs "@@VALUE ${timePs} [gtkwave::getTraceValueAtMarkerFromName {${name}}]"\n`).join("");

// What GTKWave 3.3.118 prints on a clean load; anything else ("Near byte 159, Unknown VCD identifier",
// "VCDLOAD | Time backtracking detected", "No symbols in VCD file..") is a warning.
const CLEAN_LINES = [
  /^\s*$/,
  /^GTKWave Analyzer v[\d.]+ \(w\)/,
  /^\[-?\d+\] (start|end) time\.$/,
  /^GTKWAVE \| Executing Tcl script /,
  /^Exiting\.$/,
];

/**
 * Loads `vcdPath` (or a `.gtkw` save file, which names its dump file) in the real GTKWave under a
 * virtual X server and reports its facilities, time range, displayed traces, the values `probes`
 * read off the wave window, and complaints.
 */
export function gtkwaveInspect(vcdPath: string, probes: readonly GtkwaveProbe[] = []): GtkwaveReport {
  return withTempDir("gtkwave-", (dir) => {
    const script = join(dir, "inspect.tcl");
    writeFileSync(script, `${INSPECT_TCL}${probeTcl(probes)}gtkwave::/File/Quit\n`);
    const args = ["-k", "5s", `${GTKWAVE_TIMEOUT_S}s`, "xvfb-run", "-a", "gtkwave", "-S", script, resolve(vcdPath)];
    let result = run("timeout", args, dir);
    // Two `xvfb-run -a` starting at once can pick the same display; the loser retries.
    for (let retry = 0; retry < 3 && /Xvfb failed to start/.test(result.stderr ?? ""); retry++) result = run("timeout", args, dir);
    return readReport(result);
  });
}

function readReport(result: SpawnSyncReturns<string>): GtkwaveReport {
  const stdout = result.stdout ?? "";
  const stderr = result.stderr ?? "";
  const warnings: string[] = [];
  if (result.error !== undefined) warnings.push(`could not run gtkwave: ${result.error.message}`);
  if (result.status === 124) warnings.push(`gtkwave did not quit within ${GTKWAVE_TIMEOUT_S} s and was killed`);
  else if (result.status !== 0) warnings.push(`gtkwave exited with status ${result.status ?? result.signal}`);
  const signals: string[] = [];
  const displayed: string[] = [];
  const traces: { flags: number; name: string }[] = [];
  const values: string[] = [];
  let declared = NaN;
  let minTime = NaN;
  let maxTime = NaN;
  for (const line of stdout.split("\n")) {
    const [tag, ...rest] = line.split(" ");
    const value = rest.join(" ");
    if (tag === "@@FAC") signals.push(value);
    else if (tag === "@@FACS") declared = Number(value);
    else if (tag === "@@SHOWN") displayed.push(value);
    else if (tag === "@@TRACE") traces.push({ flags: Number(rest[0]), name: rest.slice(1).join(" ") });
    else if (tag === "@@VALUE") values.push(rest.slice(1).join(" "));
    else if (tag === "@@MINTIME") minTime = Number(value);
    else if (tag === "@@MAXTIME") maxTime = Number(value);
    else if (!CLEAN_LINES.some((clean) => clean.test(line))) warnings.push(line);
  }
  for (const line of stderr.split("\n")) if (!CLEAN_LINES.some((clean) => clean.test(line))) warnings.push(line);
  if (Number.isNaN(declared) || Number.isNaN(minTime) || Number.isNaN(maxTime)) warnings.push("gtkwave did not run the inspection script to its end");
  else if (declared !== signals.length) warnings.push(`gtkwave counted ${declared} facilities but named ${signals.length}`);
  return { signals, minTime, maxTime, displayed, traces, values, stderr, warnings };
}

/** Converts `vcdPath` to FST with `vcd2fst` and back with `fst2vcd`; returns the regenerated VCD text. */
export function fstRoundTrip(vcdPath: string): string {
  return withTempDir("fst-", (dir) => {
    const fst = join(dir, "trace.fst");
    const back = join(dir, "back.vcd");
    check(run("vcd2fst", [resolve(vcdPath), fst], dir), `vcd2fst ${vcdPath}`);
    check(run("fst2vcd", ["-o", back, fst], dir), `fst2vcd ${fst}`);
    return readFileSync(back, "utf8");
  });
}
