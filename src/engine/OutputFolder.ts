// A folder of outputs written all or nothing: its files go into a temporary folder beside it, which
// takes its place only once every file is complete (see OutputFile for single files).
import { closeSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { FileFormatError } from "./errors.js";
import { causeOf, checkFolder, temporaryName, trackTemporary, untrackTemporary } from "./OutputFile.js";

/**
 * The folder `dir` that will hold files named in `names`. `open` checks now that it can be written:
 * it is missing (made, with its parents, when committed), empty, or holds only files of those
 * names (an earlier run's, replaced whole: files of the earlier run that this one does not write
 * go too). A folder holding anything else is refused, so no file of the user's is ever removed.
 */
export class OutputFolder {
  private done = false;

  private constructor(readonly dir: string, private readonly names: readonly string[]) {}

  /** Checks `dir` as described above; nothing is created before commit. */
  static open(dir: string, names: readonly string[]): OutputFolder {
    if (dir === "") throw new FileFormatError(dir, "cannot write: the folder name is empty");
    const existing = entriesOf(dir);
    const foreign = existing?.filter((name) => !names.includes(name)) ?? [];
    if (foreign.length > 0) {
      const shown = foreign.slice(0, 3).join(", ") + (foreign.length > 3 ? ", …" : "");
      throw new FileFormatError(dir, `holds files this command does not write (${shown}): give a new or empty folder, or one an earlier run wrote`);
    }
    // the parent must take the temporary folder: probed with a file removed at once
    if (checkFolder(dir, dirname(dir), true)) {
      const probe = temporaryName(resolve(dir));
      try {
        closeSync(openSync(probe, "wx"));
      } catch (e) {
        throw new FileFormatError(dir, `cannot write: ${causeOf(e)}`);
      }
      rmSync(probe, { force: true });
    }
    return new OutputFolder(dir, names);
  }

  /** Writes `files` (name → content) into a temporary folder and renames it over `dir`; returns the paths. */
  commit(files: Readonly<Record<string, string | Uint8Array>>): string[] {
    if (this.done) throw new Error(`${this.dir}: the folder was already written`);
    this.done = true;
    const unknown = Object.keys(files).filter((name) => !this.names.includes(name));
    if (unknown.length > 0) throw new Error(`${this.dir}: ${unknown.join(", ")} not among the names opened`);
    const target = resolve(this.dir);
    const temp = temporaryName(target);
    let written: string | undefined;
    trackTemporary(temp);
    try {
      mkdirSync(dirname(target), { recursive: true });
      mkdirSync(temp);
      for (const [name, content] of Object.entries(files)) {
        written = join(this.dir, name);
        writeFileSync(join(temp, name), content);
      }
      written = undefined;
      replaceFolder(temp, target);
    } catch (e) {
      rmSync(temp, { recursive: true, force: true });
      untrackTemporary(temp);
      throw new FileFormatError(written ?? this.dir, `cannot write: ${causeOf(e)}`);
    }
    untrackTemporary(temp);
    return Object.keys(files).map((name) => join(this.dir, name));
  }
}

/** The names in `dir`, or undefined when it does not exist; a file in its place is an error. */
function entriesOf(dir: string): string[] | undefined {
  try {
    if (!statSync(dir).isDirectory()) throw new FileFormatError(dir, "cannot write: it is a file, not a folder");
    return readdirSync(dir);
  } catch (e) {
    if (e instanceof FileFormatError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new FileFormatError(dir, `cannot write: ${code === "ENOTDIR" ? `${dirname(dir)} is a file, not a folder` : causeOf(e)}`);
  }
}

// rename(2) replaces an empty folder but not a full one: an earlier run's folder is moved aside
// first and removed once the new one is in place (or moved back if that fails).
function replaceFolder(temp: string, target: string): void {
  let aside: string | null = null;
  try {
    if (readdirSync(target).length > 0) {
      // not tracked for removal at exit: until the new folder is in place it is the user's only copy
      aside = temporaryName(target);
      renameSync(target, aside);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  try {
    renameSync(temp, target);
  } catch (e) {
    if (aside !== null) renameSync(aside, target);
    throw e;
  }
  if (aside !== null) rmSync(aside, { recursive: true, force: true });
}
