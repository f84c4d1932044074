// For any set of options that fails at some point (a usage error, a bad configuration or input, an
// output that cannot be written, a full or read-only disk, a run too large), no destination file
// changes: those there keep their bytes and modification time, no new one appears, no temporary stays.
import fc from "fast-check";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { main } from "../src/cli/main.js";
import { writeNpy } from "../src/npy.js";
import { mountTmpfs, skipWithoutTmpfs, type Tmpfs } from "./support/tmpfs.js";

const seed = 0x0f11e5; // fast-check prints it with any counterexample
const T = 20;
const D = 2;

let work = "";
let full: Tmpfs | string = "";
let readOnly: Tmpfs | string = "";
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "outputs-props-"));
  const ok = (x: number) => ({ shape: [T, D], data: new Float64Array(T * D).fill(x) });
  writeNpy(join(work, "q.npy"), ok(0.5));
  writeNpy(join(work, "k.npy"), ok(0.3));
  writeNpy(join(work, "v.npy"), ok(0.6));
  writeNpy(join(work, "nan.npy"), { shape: [T, D], data: new Float64Array(T * D).fill(NaN) });
  writeNpy(join(work, "short.npy"), ok(0.5) && { shape: [T - 1, D], data: new Float64Array((T - 1) * D) });
  writeFileSync(join(work, "d3.json"), '{"D": 3}');
  writeFileSync(join(work, "plain"), "a file, not a folder");
  mkdirSync(join(work, "adir"));
  full = mountTmpfs(256);
  if (typeof full !== "string") writeFileSync(join(full.dir, "filler"), Buffer.alloc(250 * 1024)); // ~6 KiB left
  readOnly = mountTmpfs(64);
  if (typeof readOnly !== "string") {
    writeFileSync(join(readOnly.dir, "A.npy"), "older A on a read-only disk");
    readOnly.remountReadOnly();
  }
});
afterAll(() => {
  for (const fs of [full, readOnly]) if (typeof fs !== "string") fs.unmount();
  rmSync(work, { recursive: true, force: true });
});

/** The command being built: `attend` with these options (a value true is a flag). */
type Options = Record<string, string | true>;

const toFiles = (o: Options) => {
  for (const k of ["tokens", "dims", "heads", "seed"]) delete o[k];
  o.q ??= join(work, "q.npy");
  o.k ??= join(work, "k.npy");
  o.v ??= join(work, "v.npy");
};
const toStream = (o: Options) => {
  for (const k of ["q", "k", "v"]) delete o[k];
  o.dims ??= String(D);
};

/** Each fault makes the command fail, whatever else it holds, and leaves it failing whatever comes after. */
function faults(): [string, (o: Options) => void][] {
  const list: [string, (o: Options) => void][] = [
    ["an unknown option", (o) => (o.frobnicate = true)],
    ["a bad number", (o) => (o.window = "many")],
    ["an empty --out", (o) => (o.out = "")],
    ["--signals without --vcd", (o) => {
      delete o.vcd;
      o.signals = "*.seq.*";
    }],
    ["a level count of 1", (o) => (o["levels-kv"] = "1")],
    ["S_sat 1e-320", (o) => (o["s-sat"] = "1e-320")],
    ["a tile wider than the window", (o) => {
      o.window = "4";
      o.tile = "8";
    }],
    ["a config file's D against the inputs", (o) => (o.config = join(work, "d3.json"))],
    ["a NaN input", (o) => {
      toFiles(o);
      o.k = join(work, "nan.npy");
    }],
    ["inputs of different shapes", (o) => {
      toFiles(o);
      o.v = join(work, "short.npy");
    }],
    ["a missing input", (o) => {
      toFiles(o);
      o.q = join(work, "missing.npy");
    }],
    ["--out naming a folder", (o) => (o.out = join(work, "adir"))],
    ["--scores under a file", (o) => (o.scores = join(work, "plain", "S.npy"))],
    ["--vcd in a missing folder", (o) => (o.vcd = join(work, "nodir", "t.vcd"))],
    ["10^15 tokens", (o) => {
      toStream(o);
      o.tokens = "1000000000000000";
    }],
    ["a --signals glob matching nothing", (o) => {
      o.vcd ??= join(work, "t.vcd");
      o.signals = "*.nothing";
    }],
  ];
  if (typeof full !== "string") {
    const dir = full.dir;
    list.push(["a trace on a full disk", (o) => {
      o.vcd = join(dir, "t.vcd");
      delete o.functional;
    }]);
  }
  if (typeof readOnly !== "string") list.push(["--out on a read-only disk", (o) => (o.out = join((readOnly as Tmpfs).dir, "A.npy"))]);
  return list;
}

/** Every file in the places outputs go, with its bytes and modification time. */
function snapshot(): Map<string, string> {
  const seen = new Map<string, string>();
  const dirs = [work, join(work, "adir"), ...[full, readOnly].flatMap((fs) => (typeof fs === "string" ? [] : [fs.dir]))];
  for (const d of dirs) {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const st = statSync(path);
      seen.set(path, st.isFile() ? `${st.mtimeMs} ${readFileSync(path).toString("base64")}` : "folder");
    }
  }
  return seen;
}

const DESTINATIONS = { out: "A.npy", scores: "S.npy", vcd: "t.vcd", gtkw: "t.gtkw" } as const;

describe("a command that fails", () => {
  test("changes no destination file: every older one keeps its bytes and time, none appears, no temporary stays", async (ctx) => {
    for (const fs of [full, readOnly]) if (typeof fs === "string") skipWithoutTmpfs(ctx, `${fs} (the full-disk and read-only faults)`);
    const all = faults();
    const arbCase = fc.record({
      files: fc.boolean(),
      outputs: fc.subarray(Object.keys(DESTINATIONS) as (keyof typeof DESTINATIONS)[]),
      existing: fc.subarray(Object.values(DESTINATIONS)),
      functional: fc.boolean(),
      faults: fc.array(fc.integer({ min: 0, max: all.length - 1 }), { minLength: 1, maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(arbCase, async (c) => {
        for (const name of Object.values(DESTINATIONS)) rmSync(join(work, name), { force: true });
        for (const name of c.existing) writeFileSync(join(work, name), `older ${name}`);
        const o: Options = { window: "8" };
        if (c.files) toFiles(o);
        else Object.assign(o, { tokens: String(T), dims: String(D) });
        for (const output of c.outputs) o[output] = join(work, DESTINATIONS[output]);
        if (o.gtkw !== undefined) o.vcd ??= join(work, DESTINATIONS.vcd);
        if (c.functional && o.vcd === undefined) o.functional = true;
        for (const i of c.faults) all[i][1](o);
        const argv = ["attend", ...Object.entries(o).flatMap(([k, v]) => (v === true ? [`--${k}`] : [`--${k}`, v]))];
        const before = snapshot();
        vi.spyOn(process.stdout, "write").mockImplementation(() => true);
        vi.spyOn(process.stderr, "write").mockImplementation(() => true);
        let code: number;
        try {
          code = await main(argv);
        } finally {
          vi.restoreAllMocks();
        }
        const faultNames = c.faults.map((i) => all[i][0]).join(", ");
        expect(code, `${faultNames}: ${argv.join(" ")}`).not.toBe(0);
        expect(snapshot(), `${faultNames}: ${argv.join(" ")}`).toEqual(before);
        expect(existsSync(join(work, "nodir")), faultNames).toBe(false);
      }),
      { seed, numRuns: 80 },
    );
  }, 300_000);
});
