// A realisation on disk (docs/model.md §7): one float64 C-order .npy per array in a directory, named and
// shaped as the spec lists them (k_gain … v_stuck (H, M, D), cpc_offset (H, M), scpc_offset
// (H, ⌈M/tile⌉, D)), so that users can read a drawn chip with NumPy or bring measured data.
import { join } from "node:path";
import type { OutputFile } from "./engine/OutputFile.js";
import { OutputSet } from "./engine/OutputSet.js";
import { FileFormatError } from "./errors.js";
import { arrayShape, checkRealisation, REALISATION_ARRAYS, type ChipShape, type Realisation } from "./laws/realisation.js";
import { readNpy, writeNpyTo } from "./npy.js";

/** The path of each array's file in `dir`, e.g. dir/k_gain.npy. */
export function realisationFile(dir: string, name: string): string {
  return join(dir, `${name}.npy`);
}

/**
 * Opens the files of a realisation in `dir` with `open` (each checked now; see OutputFile), in the
 * order of REALISATION_ARRAYS, for writeRealisationTo; the caller commits or aborts them.
 */
export function openRealisation(dir: string, open: (file: string) => OutputFile): OutputFile[] {
  return REALISATION_ARRAYS.map(([, name]) => open(realisationFile(dir, name)));
}

/** Checks `r` and writes its arrays into `files`, opened by openRealisation. */
export function writeRealisationTo(files: readonly OutputFile[], r: Realisation): void {
  checkRealisation(r);
  REALISATION_ARRAYS.forEach(([field, , kind], i) => writeNpyTo(files[i], { shape: arrayShape(r.shape, kind), data: r[field] }));
}

/**
 * Writes `r` into `dir` (created if missing), whole or not at all: every array goes to a temporary
 * file first, and only when all are written are they renamed into place; a failure leaves the
 * files already in `dir` as they were.
 */
export function writeRealisation(dir: string, r: Realisation): void {
  const set = new OutputSet();
  try {
    writeRealisationTo(openRealisation(dir, (file) => set.open(file, { createFolders: true })), r);
    set.commit();
  } finally {
    set.abort();
  }
}

/**
 * Reads the realisation in `dir` for a chip of `shape` (the configuration's heads, window, D and
 * tile). A missing file, a shape that does not match or a bad value is an error naming the file
 * (and the index [h, s, d] of the value).
 */
export function readRealisation(dir: string, shape: ChipShape): Realisation {
  const arrays: Record<string, Float64Array> = {};
  for (const [field, name, kind] of REALISATION_ARRAYS) {
    const file = realisationFile(dir, name);
    const a = readNpy(file);
    const want = arrayShape(shape, kind);
    if (a.shape.length !== want.length || a.shape.some((n, i) => n !== want[i])) {
      const dims = kind === "cells" ? "(H, M, D)" : kind === "columns" ? "(H, M)" : "(H, ⌈M/tile⌉, D)";
      throw new FileFormatError(file, `shape (${a.shape.join(", ")}) does not match the configuration's ${dims} = (${want.join(", ")})`);
    }
    arrays[field] = a.data;
  }
  const r = { shape: { ...shape }, ...arrays } as unknown as Realisation;
  const names = new Map<string, string>(REALISATION_ARRAYS.map(([field, name]) => [field, realisationFile(dir, name)]));
  return checkRealisation(r, (field) => names.get(field)!);
}
