// The layering rules of docs/architecture.md, enforced by dependency-cruiser (.dependency-cruiser.cjs):
// the real tree has no violation, and a tree that breaks each rule is caught, naming the rule and the import.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./support/build.js";

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

/** Runs dependency-cruiser with the project's rules on `src` under `cwd`; returns its violations. */
function cruise(cwd: string): Violation[] {
  const bin = join(ROOT, "node_modules", ".bin", "depcruise");
  const result = spawnSync(bin, ["src", "--config", join(ROOT, ".dependency-cruiser.cjs"), "--output-type", "json"], { cwd, encoding: "utf8" });
  if (result.error !== undefined) throw result.error;
  if (result.stdout.trim() === "") throw new Error(`depcruise printed nothing (exit ${result.status}):\n${result.stderr}`);
  return (JSON.parse(result.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const describeViolation = (v: Violation) =>
  `${v.rule.name}: ${v.from} → ${v.cycle ? v.cycle.map((c) => c.name).join(" → ") : v.to}`;

describe("layering (dependency-cruiser)", () => {
  it("src keeps every rule", () => {
    expect(cruise(ROOT).map(describeViolation)).toEqual([]);
  });

  const tree = mkdtempSync(join(tmpdir(), "gaincell-layers-"));
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it("a tree that breaks each rule is reported, rule by rule, and what is allowed is not", () => {
    const files: Record<string, string> = {
      "src/errors.ts": "export class E extends Error {}\n",
      "src/fieldChecks.ts": "export const check = 1;\n",
      "src/engine/kernel.ts": 'import { amp } from "../analog/amp.js";\nexport const kernel = amp;\n',
      "src/engine/clean.ts": 'import { kernel } from "./kernel.js";\nexport const clean = kernel;\n',
      "src/analog/amp.ts": 'import { fsm } from "../control/fsm.js";\nexport const amp = fsm;\n',
      "src/control/fsm.ts": 'import type { Amp } from "../analog/types.js";\nexport const fsm: Amp = 1;\n',
      "src/analog/types.ts": "export type Amp = number;\n",
      "src/laws/law.ts":
        'import { E } from "../errors.js";\nimport { check } from "../fieldChecks.js";\nimport { clean } from "../engine/clean.js";\n' +
        "export const law = [E, check, clean];\n",
      "src/functional/model.ts":
        'import { law } from "../laws/law.js";\nimport { E } from "../errors.js";\nimport { check } from "../fieldChecks.js";\n' +
        'import { wiring } from "../arch/a.js";\nexport const model = [law, E, check, wiring];\n',
      "src/arch/a.ts": 'import type { B } from "./b.js";\nexport type A = { b?: B };\nexport const wiring = 1;\n',
      "src/arch/b.ts": 'import type { A } from "./a.js";\nexport type B = { a?: A };\n',
      "src/report/chart.ts": "export const chart = 1;\n",
      "src/recall/run.ts": 'import { wiring } from "../arch/a.js";\nimport { chart } from "../report/chart.js";\nexport const run = [wiring, chart];\n',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), text);
    }
    cpSync(join(ROOT, "tsconfig.json"), join(tree, "tsconfig.json"));
    const found = cruise(tree).map(describeViolation).sort();
    expect(found).toEqual([
      "analog-not-control: src/analog/amp.ts → src/control/fsm.ts",
      "control-not-analog: src/control/fsm.ts → src/analog/types.ts",
      "engine-imports-only-engine: src/engine/kernel.ts → src/analog/amp.ts",
      "functional-imports-only-laws: src/functional/model.ts → src/arch/a.ts",
      "laws-imports-only-laws: src/laws/law.ts → src/engine/clean.ts",
      "no-cycles: src/arch/a.ts → src/arch/b.ts → src/arch/a.ts",
      "recall-below-report: src/recall/run.ts → src/report/chart.ts",
    ]);
  });
});
