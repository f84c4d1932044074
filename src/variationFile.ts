// Variation parameters from a file (docs/model.md §7): a preset shipped in presets/variation/ by name
// (ideal, mild, harsh) or a user's JSON file, validated naming the file and the field.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, FileFormatError } from "./errors.js";
import { readJsonFile } from "./jsonFile.js";
import { validateVariation, type Variation } from "./laws/variation.js";

/** The directory of the shipped presets: presets/variation at the package root, the first one above this module. */
export function presetDirectory(): string {
  // the root is above src/ when run from the sources, above dist/src/ when built
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, "presets", "variation");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new FileFormatError(join(here, "..", "presets", "variation"), "the variation presets are missing from this installation");
  }
}

/** Names of the shipped presets, sorted. */
export function presetNames(): string[] {
  return readdirSync(presetDirectory()).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
}

/** A loaded variation: its values, the preset name or file it came from, and that file's path. */
export interface LoadedVariation {
  readonly variation: Variation;
  /** The preset's name, or the user's file as given. */
  readonly name: string;
  readonly file: string;
}

/** Loads `spec`: a preset name (a word without a path or .json) or a JSON file of σ and p fields. */
export function loadVariation(spec: string): LoadedVariation {
  const isPreset = /^[A-Za-z0-9_-]+$/.test(spec);
  if (isPreset && !presetNames().includes(spec)) {
    throw new ConfigError("variation", `"${spec}" is not a preset (${presetNames().join(", ")}) nor a .json file`);
  }
  const file = isPreset ? join(presetDirectory(), `${spec}.json`) : spec;
  return { variation: validateVariation(readJsonFile(file), file), name: spec, file };
}
