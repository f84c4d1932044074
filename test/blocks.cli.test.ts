// --blocks on the built command line (docs/library.md): report, review and sweep measure the user's
// blocks and set their accuracy beside the ideal chip's; a wrong module, export or kind is one line.
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPwm64Cli, ROOT } from "./support/build.js";
import { writeSoftBlocks } from "./support/softBlocks.js";

let dir = "";
let soft = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "blocks-cli-"));
  buildPwm64Cli(); // tsc into dist/: the blocks module imports the built package
  soft = `${writeSoftBlocks(dir)}#mine`;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gaincell = (...args: string[]) => spawnSync("node", ["bin/gaincell.js", ...args], { cwd: ROOT, encoding: "utf8" });
const SMALL = ["--window", "16", "--tokens", "6", "--seed", "3"];

describe("report --blocks", () => {
  it("measures the swapped blocks: the ideal chip's accuracy as without them, theirs beside it, named, and in the provenance", () => {
    const ideal = gaincell("report", ...SMALL, "--format", "json");
    const swapped = gaincell("report", ...SMALL, "--format", "json", "--blocks", soft);
    expect([ideal.stderr, swapped.stderr]).toEqual(["", ""]);
    const [i, s] = [JSON.parse(ideal.stdout), JSON.parse(swapped.stdout)];
    expect(s.accuracy.map((a: { name: string }) => a.name)).toEqual(["ideal chip", expect.stringMatching(/^swapped blocks \(cpcRow from .*soft\.mjs#mine\)$/)]);
    // the ideal chip's figure is the functional model's, not the swapped run's
    expect(s.accuracy[0]).toEqual(i.accuracy[0]);
    // a logistic transfer is not the hard sigmoid: some counts change
    expect(s.accuracy[1].againstIdeal.changedFraction).toBeGreaterThan(0);
    expect(s.provenance.configHash).not.toBe(i.provenance.configHash);
    // the swapped row counts the same ledger events as the project's (it only changes the transfer)
    expect(s.energyPjPerTokenPerHead).toEqual(i.energyPjPerTokenPerHead);
  });

  it("on a realised chip names both in the accuracy figure", () => {
    const r = gaincell("report", ...SMALL, "--format", "json", "--blocks", soft, "--variation", "mild");
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).accuracy[1].name).toMatch(/^swapped blocks \(cpcRow from .*soft\.mjs#mine\) on a realised chip \(preset mild, seed 1, retention per token\)$/);
  });

  it("names a wrong module, export or kind in one line", () => {
    writeFileSync(join(dir, "wrong.mjs"), "export const blocks = { cpc: () => null };\n");
    const kind = gaincell("report", ...SMALL, "--blocks", join(dir, "wrong.mjs"));
    expect(kind.status).toBe(1);
    expect(kind.stderr.trim().split("\n")).toEqual([expect.stringMatching(/wrong\.mjs#blocks: "cpc" is not a block kind/)]);
    expect(gaincell("report", ...SMALL, "--blocks", join(dir, "missing.mjs")).status).toBe(2);
  });
});

describe("review --blocks", () => {
  it("writes a page whose accuracy section shows the swapped blocks", () => {
    const out = join(dir, "review");
    const r = gaincell("review", ...SMALL, "--out", out, "--blocks", soft);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(readFileSync(join(out, "index.html"), "utf8")).toMatch(/swapped blocks \(cpcRow from [^)]*soft\.mjs#mine\)/);
  });
});

describe("sweep --blocks", () => {
  it("builds every point from the blocks, on 1 and 2 threads alike, against the ideal chip; a resume with other blocks is refused", () => {
    const grid = ["sweep", "--param", "windowM=16,32", "--tokens", "4", "--seed", "3"];
    const rows = (out: string) => JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")).rows;
    const [one, two, plain] = ["one", "two", "plain"].map((n) => join(dir, `sweep-${n}`));
    const runs = [
      gaincell(...grid, "--blocks", soft, "--jobs", "1", "--out", one),
      gaincell(...grid, "--blocks", soft, "--jobs", "2", "--out", two),
      gaincell(...grid, "--accuracy", "--out", plain),
    ];
    expect(runs.map((r) => r.stderr)).toEqual(["", "", ""]);
    expect(rows(two)).toEqual(rows(one));
    // the swapped points are compared with the ideal chip, and differ from it; the project's are the ideal chip
    expect(rows(one).some((r: { changedFraction: number }) => r.changedFraction > 0)).toBe(true);
    expect(rows(plain).every((r: { changedFraction?: number }) => r.changedFraction === undefined)).toBe(true);
    const resumed = gaincell(...grid, "--accuracy", "--out", one);
    expect(resumed.status).toBe(1);
    expect(resumed.stderr).toMatch(/holds the points of another sweep/);
    // the same blocks resume (nothing to run again); the file edited, they are other blocks
    const again = gaincell(...grid, "--blocks", soft, "--jobs", "1", "--out", one);
    expect([again.status, again.stderr]).toEqual([0, ""]);
    expect(rows(one)).toEqual(rows(two));
    appendFileSync(soft.slice(0, soft.lastIndexOf("#")), "// edited\n");
    const edited = gaincell(...grid, "--blocks", soft, "--jobs", "1", "--out", one);
    expect(edited.status).toBe(1);
    expect(edited.stderr.trim().split("\n")).toEqual([expect.stringMatching(/holds the points of another sweep/)]);
    expect(gaincell("sweep", "--param", "windowM=16", "--metric", "recall", "--blocks", soft, "--out", join(dir, "r")).status).toBe(2);
  });
});
