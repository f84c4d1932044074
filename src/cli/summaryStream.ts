// Where a command's summary goes: stdout, unless one of its output files is stdout itself
// (`--out /dev/stdout`, `--out /proc/self/fd/1`), whose bytes a summary line would corrupt; then stderr.
import { fstatSync, statSync } from "node:fs";

/** process.stdout, or process.stderr when a destination in `paths` is the same file as stdout. */
export function summaryStream(paths: readonly (string | undefined)[]): NodeJS.WriteStream {
  let stdout;
  try {
    stdout = fstatSync(1);
  } catch {
    return process.stdout; // no stdout to protect
  }
  for (const path of paths) {
    if (path === undefined || path === "") continue;
    try {
      const s = statSync(path);
      if (s.dev === stdout.dev && s.ino === stdout.ino) return process.stderr;
    } catch {
      // a path that does not exist yet is a new file, not stdout
    }
  }
  return process.stdout;
}
