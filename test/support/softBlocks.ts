// A user's blocks module for the command-line tests of --blocks: a CPC row with a logistic transfer
// (docs/library.md), written as plain JavaScript against the built package, as a user would.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./build.js";

/** Writes `soft.mjs` into `dir`, exporting the row's factory as `mine`; returns the file's path. */
export function writeSoftBlocks(dir: string): string {
  const index = pathToFileURL(join(ROOT, "dist/src/index.js")).href;
  const file = join(dir, "soft.mjs");
  writeFileSync(file, [
    `import { ChargeToPulseConverter } from ${JSON.stringify(index)};`,
    "class Soft extends ChargeToPulseConverter {",
    "  transfer(s, offset) { return 1 / (1 + Math.exp((-4 * (s - offset - this.params.sSat / 2)) / this.params.sSat)); }",
    "}",
    "export const mine = { cpcRow: (parent, name, columns, params, offsets) => new Soft(parent, name, columns, params, offsets) };",
    "",
  ].join("\n"));
  return file;
}
