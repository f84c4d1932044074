// Writes a file whole or not at all: the text goes to a temporary file beside it, renamed over it
// when complete, so a failed write leaves an older file untouched.
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { FileFormatError } from "../errors.js";

/** Writes `text` to `file` through a temporary file in the same directory; errors name the file. */
export function writeWholeFile(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new FileFormatError(file, `cannot write: ${(e as Error).message}`);
  }
}
