// A file written whole or not at all: bytes go to a temporary file beside the destination (same
// folder, so the final rename is atomic), which replaces the destination only when complete.
import {
  accessSync, chmodSync, closeSync, constants, existsSync, fstatSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync, type Stats,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { FileFormatError } from "./errors.js";

// Temporary files and folders not yet renamed into place. They are removed when the process exits
// by any path (normal end, process.exit, an uncaught error), so none is ever left beside a
// destination; only an end that runs no code (SIGKILL, an out-of-memory abort) can leave one.
const pending = new Set<string>();
let cleanupInstalled = false;

/** Registers `path` (a temporary file or folder) for removal if the process exits before it is renamed. */
export function trackTemporary(path: string): void {
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.on("exit", () => {
      for (const p of pending) rmSync(p, { recursive: true, force: true });
    });
  }
  pending.add(path);
}

/** The path was renamed into place or removed: nothing to clean up. */
export function untrackTemporary(path: string): void {
  pending.delete(path);
}

/** The cause of a failed file operation in words: "no space left on device", "permission denied". */
export function causeOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  // Node's system errors read "ENOSPC: no space left on device, write"; keep the words
  return /^E[A-Z0-9]+: ([^,]+)/.exec(message)?.[1] ?? message;
}

/** Why `dir` cannot take new files: undefined when it is a folder, else what is missing or in the way. */
export function folderProblem(dir: string): string | undefined {
  for (let path = dir === "" ? "." : dir; ; ) {
    try {
      if (!statSync(path).isDirectory()) return `${path} is a file, not a folder`;
      return path === (dir === "" ? "." : dir) ? undefined : `folder ${dir} does not exist`;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const up = dirname(path);
      if ((code !== "ENOENT" && code !== "ENOTDIR") || up === path) return causeOf(e);
      path = up;
    }
  }
}

/** Name of a temporary file or folder beside `path`, hidden and unique to this process. */
export function temporaryName(path: string): string {
  const random = Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, "0");
  return join(dirname(path), `.${basename(path)}.${process.pid}.${random}.tmp`);
}

/** Where and how an output is written. */
export interface OutputFileOptions {
  /** Create the destination's missing folders (when it is renamed into place, not before). */
  createFolders?: boolean;
  /** Permissions of the file (e.g. 0o755 for a script); by default an older file's, else the umask's. */
  mode?: number;
}

/**
 * One output file. `open` checks now that the destination can be written (it is not a folder, its
 * folder exists and takes new files) by creating the temporary file; `write` appends; `commit`
 * renames the complete file into place; `abort` removes it and leaves the destination untouched.
 * A destination that is not a regular file (a device such as /dev/null or /dev/stdout, a FIFO) is
 * written in place and never replaced: renaming over /dev/full, as root, would replace the device.
 * A failed write removes the temporary file and raises a FileFormatError naming the destination
 * and the cause ("no space left on device").
 */
export class OutputFile {
  private fd = -1;
  private state: "open" | "finished" | "committed" | "aborted" = "open";
  /** Bytes written so far. */
  written = 0;

  private constructor(
    /** The destination as the user named it (for messages). */
    readonly file: string,
    /** The path written to: the temporary file, or the destination itself when it is written in place. */
    private readonly target: string,
    /** The path renamed over; null when written in place. */
    private readonly destination: string | null,
    private readonly mode: number | null,
    private readonly folders: boolean,
    /** 1 or 2 when the destination is this process's stdout or stderr, else -1. */
    private readonly stream: number = -1,
  ) {}

  /** Opens `file` for writing: the checks and the temporary file happen now, before any work. */
  static open(file: string, options: OutputFileOptions = {}): OutputFile {
    if (file === "") throw new FileFormatError(file, "cannot write: the file name is empty");
    const destination = followLink(file);
    const st = statOrNull(file, destination);
    if (st?.isDirectory()) throw new FileFormatError(file, "cannot write: it is a folder; give a file name");
    // a file the user may not write is refused, as cp would, though a rename could replace it
    if (st !== null) {
      try {
        accessSync(destination, constants.W_OK);
      } catch (e) {
        throw new FileFormatError(file, `cannot write: ${causeOf(e)}`);
      }
    }
    // a device, a FIFO, or the very file the shell opened as our stdout or stderr (`--out /dev/stdout
    // > A.npy`) is a stream: written in place, never replaced (a rename would cut it from the stream)
    const stream = st === null ? -1 : standardStream(st);
    if (st !== null && (!st.isFile() || stream >= 0)) return new OutputFile(file, destination, null, null, false, stream);
    const folders = options.createFolders === true;
    const mode = options.mode ?? (st === null ? null : st.mode & 0o7777);
    // a missing folder is made only at commit: until then the temporary file waits in the nearest
    // folder that exists (the new ones would be made inside it, so the rename stays on one disk)
    const home = existingFolder(file, dirname(destination), folders);
    const out = new OutputFile(file, temporaryName(join(home, basename(destination))), destination, mode, folders);
    out.create();
    return out;
  }

  /** True once finish() closed the complete file, before commit. */
  get isFinished(): boolean {
    return this.state === "finished";
  }

  /** True when the destination is a device or FIFO, written in place. */
  get inPlace(): boolean {
    return this.destination === null;
  }

  /** True when the destination is this process's stdout (`--out /dev/stdout`): a summary must then go elsewhere. */
  get isStdout(): boolean {
    return this.stream === 1;
  }

  /** Appends `length` bytes of `bytes` from `offset`. */
  write(bytes: Uint8Array, offset = 0, length = bytes.length - offset): void {
    if (this.state !== "open") throw new Error(`${this.file}: write after the file was ${this.state}`);
    if (this.fd < 0) this.create();
    try {
      let done = 0;
      while (done < length) {
        try {
          done += writeSync(this.fd, bytes, offset + done, length - done);
        } catch (e) {
          // a non-blocking stream (our own stdout) that is full for now: wait for its reader
          if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
          Atomics.wait(PAUSE, 0, 0, 1);
        }
      }
    } catch (e) {
      this.abort();
      throw new FileFormatError(this.file, `cannot write: ${causeOf(e)}`);
    }
    this.written += length;
  }

  /** Appends text as UTF-8. */
  writeText(text: string): void {
    const bytes = Buffer.from(text, "utf8");
    this.write(bytes);
  }

  /** Closes the file once complete; the destination is replaced only by commit(). */
  finish(): void {
    if (this.state !== "open") return;
    if (this.fd < 0) this.create();
    try {
      if (this.fd !== this.stream) closeSync(this.fd);
    } catch (e) {
      this.fd = -1;
      this.abort();
      throw new FileFormatError(this.file, `cannot write: ${causeOf(e)}`);
    }
    this.fd = -1;
    this.state = "finished";
  }

  /** Finishes the file and renames it over the destination. */
  commit(): void {
    if (this.state === "committed" || this.state === "aborted") return;
    this.finish();
    if (this.destination !== null) {
      try {
        if (this.folders) mkdirSync(dirname(this.destination), { recursive: true });
        if (this.mode !== null) chmodSync(this.target, this.mode);
        renameSync(this.target, this.destination);
      } catch (e) {
        this.abort();
        throw new FileFormatError(this.file, `cannot write: ${causeOf(e)}`);
      }
      untrackTemporary(this.target);
    }
    this.state = "committed";
  }

  /** Removes the temporary file; the destination keeps what it held. Safe to call at any point. */
  abort(): void {
    if (this.state === "committed" || this.state === "aborted") return;
    this.state = "aborted";
    if (this.fd >= 0) {
      try {
        if (this.fd !== this.stream) closeSync(this.fd);
      } catch {
        // the file is being thrown away; a failed close changes nothing
      }
      this.fd = -1;
    }
    if (this.destination !== null) {
      rmSync(this.target, { force: true });
      untrackTemporary(this.target);
    }
  }

  private create(): void {
    try {
      this.fd = openSync(this.target, this.destination === null ? "w" : "wx");
    } catch (e) {
      // a socket (how Node pipes a child's stdout) cannot be opened by name: write to the descriptor held
      if (this.stream >= 0 && (e as NodeJS.ErrnoException).code === "ENXIO") {
        this.fd = this.stream;
        return;
      }
      this.state = "aborted";
      throw new FileFormatError(this.file, `cannot write: ${folderProblem(dirname(this.target)) ?? causeOf(e)}`);
    }
    if (this.destination !== null) trackTemporary(this.target);
  }
}

/** The absolute destination; a symbolic link is followed, so the file it points to is replaced and the link kept. */
function followLink(file: string): string {
  const path = resolve(file);
  try {
    if (!lstatSync(path).isSymbolicLink()) return path;
    const real = realpathSync(path);
    // /dev/stdout on a pipe or socket resolves to /proc/PID/fd/pipe:[N], which names no file: the link
    // itself opens the stream
    return existsSync(real) ? real : path;
  } catch {
    return path; // missing, or a dangling link: written as a new file
  }
}

/** 1 or 2 when `st` is the file behind this process's stdout or stderr, else -1. */
function standardStream(st: Stats): number {
  for (const fd of [1, 2]) {
    try {
      const s = fstatSync(fd);
      if (s.dev === st.dev && s.ino === st.ino) return fd;
    } catch {
      // that stream is closed: nothing to protect
    }
  }
  return -1;
}

/** A word to wait on for a millisecond, synchronously, while a full stream drains. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** The destination's status, null when it does not exist yet. */
function statOrNull(file: string, path: string): Stats | null {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw new FileFormatError(file, `cannot write: ${causeOf(e)}`);
  }
}

/**
 * The folder a new file in `folder` can be made in now: `folder` itself when it exists, or, with
 * `create`, the nearest existing ancestor (a folder this process may write in) under which the
 * missing part will be made. Anything else (a file in the way, a read-only disk, no such folder
 * without `create`) is a FileFormatError naming `file`.
 */
export function existingFolder(file: string, folder: string, create: boolean): string {
  const problem = folderProblem(folder);
  if (problem === undefined) return folder;
  if (!create) throw new FileFormatError(file, `cannot write: ${problem}`);
  for (let path = resolve(folder); ; path = dirname(path)) {
    try {
      if (!statSync(path).isDirectory()) throw new FileFormatError(file, `cannot write: ${path} is a file, not a folder`);
      accessSync(path, constants.W_OK);
      return path;
    } catch (e) {
      if (e instanceof FileFormatError) throw e;
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new FileFormatError(file, `cannot write: ${causeOf(e)}`);
    }
  }
}

/** Writes `data` to `file` whole or not at all (see OutputFile). */
export function writeWholeFile(file: string, data: string | Uint8Array, options: OutputFileOptions = {}): void {
  const out = OutputFile.open(file, options);
  try {
    if (typeof data === "string") out.writeText(data);
    else out.write(data);
    out.commit();
  } finally {
    out.abort();
  }
}
