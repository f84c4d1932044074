// Reading a JSON file a user wrote: errors name the file and say what was wrong with it.
import { readFileSync } from "node:fs";
import { FileFormatError } from "./errors.js";

/** Parses `file` as JSON; a missing file or bad JSON is a FileFormatError naming the file. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new FileFormatError(file, `cannot read: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FileFormatError(file, `not valid JSON: ${(e as Error).message}`);
  }
}
