// Output files (and sets of them) are whole or absent: written beside the destination and renamed into
// place when complete; a write error (a full tmpfs, a read-only one, /dev/full) leaves the older
// file untouched and no temporary file behind; devices and FIFOs are written in place.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileFormatError } from "../src/errors.js";
import { OutputFile, writeWholeFile } from "../src/engine/OutputFile.js";
import { OutputSet, writeFilesTogether } from "../src/engine/OutputSet.js";
import { usePrivateBuild } from "./support/build.js";
import { folderMaker } from "./support/capture.js";
import { tmpfsTest } from "./support/tmpfs.js";

const dir = mkdtempSync(join(tmpdir(), "output-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const built = usePrivateBuild();

const folder = folderMaker(() => dir);
const listing = (d: string) => readdirSync(d).sort();

/** Expects `f` to throw a FileFormatError whose one-line message matches. */
function expectError(f: () => unknown, message: RegExp): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(FileFormatError);
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).not.toContain("\n");
}

describe("an output file", () => {
  it("leaves the older file as it was until commit, then replaces it whole, keeping its mode", () => {
    const d = folder({ "A.npy": "old" });
    chmodSync(join(d, "A.npy"), 0o640);
    const out = OutputFile.open(join(d, "A.npy"));
    out.writeText("new ");
    out.write(Buffer.from("content"));
    expect(readFileSync(join(d, "A.npy"), "utf8")).toBe("old");
    expect(readdirSync(d)).toHaveLength(2); // the destination and one hidden temporary file beside it
    expect(readdirSync(d).find((f) => f !== "A.npy")).toMatch(/^\.A\.npy\.\d+\.[0-9a-f]{8}\.tmp$/);
    out.commit();
    expect(readFileSync(join(d, "A.npy"), "utf8")).toBe("new content");
    expect(statSync(join(d, "A.npy")).mode & 0o777).toBe(0o640);
    expect(readdirSync(d)).toEqual(["A.npy"]);
  });

  it("abort removes the temporary file and keeps the older one", () => {
    const d = folder({ "t.vcd": "old trace" });
    const out = OutputFile.open(join(d, "t.vcd"));
    out.writeText("half a trace");
    out.abort();
    out.abort();
    expect(readdirSync(d)).toEqual(["t.vcd"]);
    expect(readFileSync(join(d, "t.vcd"), "utf8")).toBe("old trace");
  });

  it("is checked when opened: a folder, a path under a file, a missing folder and an empty name are refused naming the file", () => {
    const d = folder({ "plain.txt": "x" });
    mkdirSync(join(d, "sub"));
    expectError(() => OutputFile.open(join(d, "sub")), /sub: cannot write: it is a folder; give a file name$/);
    expectError(() => OutputFile.open(join(d, "plain.txt", "A.npy")), /plain\.txt\/A\.npy: cannot write: .*plain\.txt is a file, not a folder$/);
    expectError(() => OutputFile.open(join(d, "no", "such", "A.npy")), /A\.npy: cannot write: folder .*no\/such does not exist$/);
    expectError(() => OutputFile.open(""), /cannot write: the file name is empty/);
    expect(readdirSync(d).sort()).toEqual(["plain.txt", "sub"]);
  });

  it("creates missing folders only when committed, when asked to", () => {
    const d = folder();
    const out = OutputFile.open(join(d, "review", "deep", "index.html"), { createFolders: true });
    // until then the temporary file waits, hidden, in the nearest folder that exists
    expect(readdirSync(d)).toEqual([expect.stringMatching(/^\.index\.html\.\d+\.[0-9a-f]{8}\.tmp$/)]);
    out.writeText("<!DOCTYPE html>");
    out.commit();
    expect(readFileSync(join(d, "review", "deep", "index.html"), "utf8")).toBe("<!DOCTYPE html>");
    expect(readdirSync(join(d, "review", "deep"))).toEqual(["index.html"]);
  });

  it("replaces the file a symbolic link points to, keeping the link", () => {
    const d = folder({ "real.csv": "old" });
    symlinkSync("real.csv", join(d, "link.csv"));
    writeWholeFile(join(d, "link.csv"), "new");
    expect(readFileSync(join(d, "real.csv"), "utf8")).toBe("new");
    expect(readdirSync(d).sort()).toEqual(["link.csv", "real.csv"]);
  });

  it("writes /dev/null and a FIFO in place, never replacing them", async () => {
    writeWholeFile("/dev/null", "discarded");
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
    const d = folder();
    const fifo = join(d, "pipe");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const reader = spawn("cat", [fifo]);
    let read = "";
    reader.stdout.on("data", (b: Buffer) => (read += b.toString()));
    const closed = new Promise((resolve) => reader.on("close", resolve));
    writeWholeFile(fifo, "through the pipe");
    await closed;
    expect(read).toBe("through the pipe");
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(d)).toEqual(["pipe"]);
  });

  it("/dev/full: a one-line error naming the file and 'no space left on device', and the device is still a device", () => {
    expectError(() => writeWholeFile("/dev/full", "x".repeat(1 << 16)), /^\/dev\/full: cannot write: no space left on device$/);
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
  });

  it("leaves no temporary file when the process exits before commit, by process.exit or an uncaught error", () => {
    const d = folder();
    const module = JSON.stringify(join(built().dist, "src/engine/OutputFile.js"));
    for (const ending of ["process.exit(3)", "throw new Error('bug')"]) {
      const script = `import { OutputFile } from ${module};
const out = OutputFile.open(${JSON.stringify(join(d, "A.npy"))});
out.writeText("partial");
${ending};`;
      const r = spawnSync("node", ["--input-type=module", "-e", script], { encoding: "utf8" });
      expect(r.status, r.stderr).not.toBe(0);
      expect(readdirSync(d), ending).toEqual([]);
    }
  });
});

describe("an output set", () => {
  it("appears together: nothing shows before commit, then every file whole; missing folders are made then", () => {
    const d = folder({ "sweep.csv": "old csv", "notes.txt": "not ours" });
    const paths = writeFilesTogether(d, { "sweep.csv": "x,y\n", "energy.svg": "<svg/>" });
    expect(paths).toEqual([join(d, "sweep.csv"), join(d, "energy.svg")]);
    expect(listing(d)).toEqual(["energy.svg", "notes.txt", "sweep.csv"]);
    expect(readFileSync(join(d, "sweep.csv"), "utf8")).toBe("x,y\n");
    const set = new OutputSet();
    set.open(join(d, "a", "b", "one.txt"), { createFolders: true }).writeText("1");
    set.open(join(d, "two.txt")).writeText("2");
    expect(listing(d).filter((f) => !f.startsWith("."))).toEqual(["energy.svg", "notes.txt", "sweep.csv"]);
    set.commit();
    expect(readFileSync(join(d, "a", "b", "one.txt"), "utf8")).toBe("1");
    expect(listing(d)).toEqual(["a", "energy.svg", "notes.txt", "sweep.csv", "two.txt"]);
  });

  it("a member that cannot be opened leaves every other destination as it was", () => {
    const d = folder({ "sweep.csv": "old csv" });
    mkdirSync(join(d, "energy.svg"));
    expectError(() => writeFilesTogether(d, { "sweep.csv": "new", "energy.svg": "<svg/>" }), /energy\.svg: cannot write: it is a folder/);
    expect(listing(d)).toEqual(["energy.svg", "sweep.csv"]);
    expect(readFileSync(join(d, "sweep.csv"), "utf8")).toBe("old csv");
  });

  it("sets a script's mode", () => {
    const d = folder();
    writeWholeFile(join(d, "run.sbatch"), "#!/bin/sh\n", { mode: 0o755 });
    expect(statSync(join(d, "run.sbatch")).mode & 0o777).toBe(0o755);
  });
});

describe("full and read-only file systems (a small tmpfs)", () => {
  tmpfsTest("a full disk: the error names the file and says 'no space left on device'; the older file and folder are untouched, no temporary is left", 64, ({ dir: fs }) => {
    writeFileSync(join(fs, "A.npy"), "old A");
    expectError(() => writeWholeFile(join(fs, "A.npy"), Buffer.alloc(1 << 20, 7)), /A\.npy: cannot write: no space left on device$/);
    expect(readFileSync(join(fs, "A.npy"), "utf8")).toBe("old A");
    mkdirSync(join(fs, "sweep"));
    writeFileSync(join(fs, "sweep", "sweep.csv"), "old csv");
    expectError(() => writeFilesTogether(join(fs, "sweep"), { "sweep.csv": "new", "energy.svg": "x".repeat(1 << 20) }), /energy\.svg: cannot write: no space left on device$/);
    expect(readdirSync(fs).sort()).toEqual(["A.npy", "sweep"]);
    expect(readdirSync(join(fs, "sweep"))).toEqual(["sweep.csv"]);
    expect(readFileSync(join(fs, "sweep", "sweep.csv"), "utf8")).toBe("old csv");
  });

  tmpfsTest("a read-only folder is refused when the output is opened, before any work", 64, ({ dir: fs, remountReadOnly }) => {
    writeFileSync(join(fs, "A.npy"), "old");
    remountReadOnly();
    expectError(() => OutputFile.open(join(fs, "A.npy")), /A\.npy: cannot write: read-only file system$/);
    expectError(() => OutputFile.open(join(fs, "new", "index.html"), { createFolders: true }), /index\.html: cannot write: read-only file system$/);
    expect(existsSync(join(fs, "new"))).toBe(false);
  });
});
