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
}

function mount(args: string[]): { ok: boolean; message: string } {
  const r = spawnSync("mount", args, { encoding: "utf8" });
  return { ok: r.status === 0, message: `${r.error?.message ?? ""}${r.stderr ?? ""}`.trim() };
}

/** A test given a fresh tmpfs of `sizeKiB`, unmounted afterwards; skipped (failed under CI) where mount is not allowed. */
export function tmpfsTest(name: string, sizeKiB: number, body: (fs: Tmpfs, ctx: TestContext) => unknown, timeoutMs?: number): void {
  test(name, async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), "tmpfs-"));
    const mounted = mount(["-t", "tmpfs", "-o", `size=${sizeKiB}k`, "tmpfs", dir]);
    if (!mounted.ok) {
      rmSync(dir, { recursive: true, force: true });
      const message = `needs a small tmpfs for a full disk (mount -t tmpfs, as root): ${mounted.message || "mount failed"}`;
      if (underCi()) throw new Error(message);
      ctx.skip(message);
    }
    try {
      await body({ dir, remountReadOnly: () => {
        const r = mount(["-o", "remount,ro", dir]);
        if (!r.ok) throw new Error(`remount ${dir} read-only: ${r.message}`);
      } }, ctx);
    } finally {
      spawnSync("umount", ["-l", dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  }, timeoutMs);
}
