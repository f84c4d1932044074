// Output files that appear together or not at all: each is written whole beside its destination
// (see OutputFile), and only when every one is complete are they renamed into place.
import { join } from "node:path";
import { OutputFile, type OutputFileOptions } from "./OutputFile.js";

/** A set of OutputFiles committed together; a failure before the commit removes them all. */
export class OutputSet {
  private readonly files: OutputFile[] = [];

  /** Opens `file` (checked now, see OutputFile.open) as a member of the set. */
  open(file: string, options: OutputFileOptions = {}): OutputFile {
    const out = OutputFile.open(file, options);
    this.files.push(out);
    return out;
  }

  /** Renames every member into place, in the order opened. */
  commit(): void {
    for (const f of this.files) f.finish();
    for (const f of this.files) f.commit();
  }

  /** Removes every member not yet renamed into place; their destinations keep what they held. */
  abort(): void {
    for (const f of this.files) f.abort();
  }
}

/** Writes `files` (name → content) into `dir`, whole and all together or not at all; returns their paths. */
export function writeFilesTogether(dir: string, files: Readonly<Record<string, string | Uint8Array>>, options: OutputFileOptions = {}): string[] {
  const set = new OutputSet();
  try {
    const paths = Object.entries(files).map(([name, content]) => {
      const path = join(dir, name);
      const out = set.open(path, options);
      if (typeof content === "string") out.writeText(content);
      else out.write(content);
      return path;
    });
    set.commit();
    return paths;
  } finally {
    set.abort();
  }
}
