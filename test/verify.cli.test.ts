// `gaincell verify` as CI runs it: one line per run, the merged coverage (the default run reaches
// every sequencer state and transition), JUnit XML read back by a real XML parser (headless
// Chromium's DOMParser), coverage JSON, reproducing one run, exit codes.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../src/cli/main.js";
import { junitXml } from "../src/verify/junit.js";
import { STATE_ARCS, STATE_NAMES } from "../src/verify/protocol.js";
import { requireTool } from "./support/tools.js";

let dir = "";
let browser: Browser | null = null;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "verify-cli-"));
  if (requireTool("chromium")) {
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  }
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `gaincell <args>` in this process; returns its exit code, stdout and stderr. */
async function gaincell(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { status: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

interface ParsedJunit {
  error: string | null;
  root: string;
  suite: Record<string, string>;
  properties: Record<string, string>;
  cases: { name: string; classname: string; time: string; failure: { message: string; type: string; text: string } | null }[];
  systemOut: string;
}

/** Parses `xml` with the browser's DOMParser (a parse error shows as a <parsererror> element). */
async function parseXml(xml: string): Promise<ParsedJunit> {
  const page = await browser!.newPage();
  try {
    return await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, "application/xml");
      const error = doc.querySelector("parsererror");
      const attrs = (e: Element | null) => Object.fromEntries([...(e?.attributes ?? [])].map((a) => [a.name, a.value]));
      const suite = doc.querySelector("testsuites > testsuite");
      return {
        error: error ? error.textContent : null,
        root: doc.documentElement.tagName,
        suite: attrs(suite),
        properties: Object.fromEntries([...doc.querySelectorAll("testsuite > properties > property")].map((p) => [p.getAttribute("name")!, p.getAttribute("value")!])),
        cases: [...doc.querySelectorAll("testsuite > testcase")].map((c) => {
          const f = c.querySelector("failure");
          return {
            name: c.getAttribute("name")!,
            classname: c.getAttribute("classname")!,
            time: c.getAttribute("time")!,
            failure: f ? { message: f.getAttribute("message")!, type: f.getAttribute("type")!, text: f.textContent! } : null,
          };
        }),
        systemOut: doc.querySelector("testsuite > system-out")?.textContent ?? "",
      };
    }, xml);
  } finally {
    await page.close();
  }
}

describe("gaincell verify", () => {
  let run: { status: number; stdout: string; stderr: string };
  const junit = () => join(dir, "default.xml");
  const coverage = () => join(dir, "default.json");
  beforeAll(async () => {
    run = await gaincell("verify", "--junit", junit(), "--coverage", coverage());
  });

  it("by default runs 50 seeded cases, all passing, one line each, then the coverage and a summary", () => {
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines.filter((l) => /^run \d+\/50 \(M \d+, tile \d+, D \d+, H \d+, .*\): passed, [\d,]+ checks, \d+\.\d\d s$/.test(l))).toHaveLength(50);
    expect(run.stdout).toMatch(/^functional coverage: \d+ of \d+ bins \(\d+\.\d%\)$/m);
    expect(run.stdout).toMatch(/^verify: 50 of 50 runs passed \(seed 1\); [\d,]+ monitor checks\n$/m);
  });

  it("reaches every sequencer state and every transition of the schedule", () => {
    const report = JSON.parse(readFileSync(coverage(), "utf8")) as { items: { name: string; bins: { name: string; hits: number }[] }[] };
    const fsm = report.items.find((i) => i.name === "sequencer.state")!;
    const expected = [...STATE_NAMES.values(), ...STATE_ARCS.map(([a, b]) => `${STATE_NAMES.get(a)} -> ${STATE_NAMES.get(b)}`)];
    expect(expected).toHaveLength(9 + 10);
    expect(fsm.bins.map((b) => b.name)).toEqual(expected);
    for (const bin of fsm.bins) expect(bin.hits, bin.name).toBeGreaterThan(0);
    // and the other points of the brief: slot wrap, CPC saturation, the signed counts, sub-tiles
    for (const name of ["slot.written", "cpc.saturated", "scpc.count", "scpc.sign", "subtile.written"]) {
      expect(report.items.find((i) => i.name === name)!.bins.filter((b) => b.hits > 0).length, name).toBeGreaterThan(1);
    }
    expect(report.items.find((i) => i.name === "slot.written")!.bins.find((b) => b.name === "wrap M-1 -> 0")!.hits).toBeGreaterThan(0);
  });

  it("writes JUnit XML a real XML parser reads: one testcase per run, counts, seed and coverage as properties", async () => {
    if (browser === null) return;
    const doc = await parseXml(readFileSync(junit(), "utf8"));
    expect(doc.error).toBeNull();
    expect(doc.root).toBe("testsuites");
    expect(doc.suite).toMatchObject({ name: "gaincell verify", tests: "50", failures: "0", errors: "0", skipped: "0" });
    expect(doc.suite.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(doc.cases).toHaveLength(50);
    expect(doc.cases[0]).toMatchObject({ classname: "gaincell.verify", failure: null });
    expect(doc.cases[0].name).toMatch(/^run 1: M \d+, tile \d+, D \d+, H \d+, levels \d+\/\d+\/\d+, λ [\d.e-]+, S_sat \d+, (cubic|linear), clock \d+ ps; \d+ tokens?, \d+ stalls?$/);
    expect(doc.properties).toMatchObject({ seed: "1", runs: "50" });
    expect(doc.properties.coverage).toMatch(/^\d+ of \d+ bins \(\d+\.\d%\)$/);
    expect(doc.systemOut).toMatch(/^functional coverage: /);
  });

  it("escapes what a failure says so that it parses back the same, control characters and all", async () => {
    if (browser === null) return;
    const nasty = `a <b> & "c" 'd' ]]> e\u0001f`;
    const xml = junitXml({ name: "s & t", timeS: 1, timestamp: new Date(0), properties: [["p<", "v&\""]], systemOut: "x < y",
      cases: [{ name: "one", classname: "k", timeS: 0.5, failure: { message: nasty, type: "MonitorFailure", text: `${nasty}\nsecond line` } }, { name: "two", classname: "k", timeS: 0 }] });
    const doc = await parseXml(xml);
    expect(doc.error).toBeNull();
    expect(doc.suite).toMatchObject({ name: "s & t", tests: "2", failures: "1" });
    expect(doc.properties).toEqual({ "p<": 'v&"' });
    const cleaned = nasty.replace("\u0001", "\uFFFD");
    expect(doc.cases[0].failure).toEqual({ message: cleaned, type: "MonitorFailure", text: `${cleaned}\nsecond line` });
    expect(doc.cases[1].failure).toBeNull();
    expect(doc.systemOut).toBe("x < y");
  });

  it("reproduces one run of a seed's sequence with --case", async () => {
    const all = await gaincell("verify", "--runs", "4", "--seed", "9");
    const one = await gaincell("verify", "--seed", "9", "--case", "3");
    const line = (out: string) => out.split("\n").find((l) => l.startsWith("run 3/"))!.replace(/, [\d.]+ s$/, "").replace(/^run 3\/\d+/, "run 3");
    expect(one.status).toBe(0);
    expect(line(one.stdout)).toBe(line(all.stdout));
  });

  it("exits 2 on a bad command line and 1, naming the file, when a report cannot be written, before running anything", async () => {
    for (const args of [["--runs", "0"], ["--seed", "-1"], ["--runs", "3", "--case", "2"], ["--frobnicate"]]) {
      const r = await gaincell("verify", ...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^gaincell: [^\n]+\nsee gaincell verify --help\n$/);
      expect(r.stdout).toBe("");
    }
    const r = await gaincell("verify", "--junit", join(dir, "no", "such", "dir", "j.xml"));
    expect([r.status, r.stdout]).toEqual([1, ""]);
    expect(r.stderr).toMatch(/^gaincell: .*no\/such\/dir\/j\.xml: cannot write: ENOENT[^\n]*\n$/);
  });
});
