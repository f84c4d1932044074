// Small tmpfs file systems for tests of full disks and read-only folders: mounted as root, else the
// test is skipped with a message (and failed under CI, like the tool-backed tests of tools.ts).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, type TestContext } from "vitest";
import { underCi } from "./tools.js";

/** A mounted tmpfs; `remountReadOnly` makes every write fail with EROFS. */
export interface Tmpfs {
  dir: string;
  remountReadOnly(): void;
  unmount(): void;
}

function mount(args: string[]): { ok: boolean; message: string } {
  const r = spawnSync("mount", args, { encoding: "utf8" });
  return { ok: r.status === 0, message: `${r.error?.message ?? ""}${r.stderr ?? ""}`.trim() };
}

/** Mounts a fresh tmpfs of `sizeKiB`; returns why not when this machine does not allow it (not root, no mount). */
export function mountTmpfs(sizeKiB: number): Tmpfs | string {
  const dir = mkdtempSync(join(tmpdir(), "tmpfs-"));
  const mounted = mount(["-t", "tmpfs", "-o", `size=${sizeKiB}k`, "tmpfs", dir]);
  if (!mounted.ok) {
    rmSync(dir, { recursive: true, force: true });
    return `needs a small tmpfs for a full disk (mount -t tmpfs, as root): ${mounted.message || "mount failed"}`;
  }
  return {
    dir,
    remountReadOnly: () => {
      const r = mount(["-o", "remount,ro", dir]);
      if (!r.ok) throw new Error(`remount ${dir} read-only: ${r.message}`);
    },
    unmount: () => {
      spawnSync("umount", ["-l", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Skips the test with `why` (a tmpfs could not be mounted), or fails it under CI. */
export function skipWithoutTmpfs(ctx: TestContext, why: string): never {
  if (underCi()) throw new Error(why);
  return ctx.skip(why);
}

/** A test given a fresh tmpfs of `sizeKiB`, unmounted afterwards; skipped (failed under CI) where mount is not allowed. */
export function tmpfsTest(name: string, sizeKiB: number, body: (fs: Tmpfs, ctx: TestContext) => unknown, timeoutMs?: number): void {
  test(name, async (ctx) => {
    const fs = mountTmpfs(sizeKiB);
    if (typeof fs === "string") skipWithoutTmpfs(ctx, fs);
    try {
      await body(fs as Tmpfs, ctx);
    } finally {
      (fs as Tmpfs).unmount();
    }
  }, timeoutMs);
}
