// `gaincell review`: one self-contained HTML page with the ledger, charts, GPU comparison and one
// token's waveform, checked as text and in a real headless browser (Debian's chromium).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { validateAccelerator } from "../src/arch/config.js";
import { seededInputs } from "../src/cli/inputs.js";
import { main } from "../src/cli/main.js";
import { priceEvents } from "../src/report/energy.js";
import { num } from "../src/report/format.js";
import { DEFAULT_TECHNOLOGY } from "../src/report/technology.js";
import { traceOneToken, type WaveExcerpt } from "../src/report/waveTrace.js";
import { waveformSvg } from "../src/report/waveSvg.js";
import { toolTest } from "./support/tools.js";

const dir = mkdtempSync(join(tmpdir(), "review-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const it_chromium = toolTest(["chromium"]);

// A window of 64 keeps the run short; its events per token in closed form (test/report.props.test.ts
// checks that the blocks count these), priced by the laws (test/energy.test.ts checks those by hand).
const W64 = validateAccelerator({ windowM: 64 });
const TOTAL_PJ = priceEvents({ cellsWritten: 128, stage1Columns: 64, stage2Columns: 64, controlCycles: 65, pwmPulses: 64, signedConversions: 64, tokenNs: 65 },
  W64, DEFAULT_TECHNOLOGY).total;
let html = "";
let page = "";

beforeAll(async () => {
  const out = join(dir, "review");
  let stdout = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((stdout += String(s)), true));
  vi.stubEnv("SOURCE_DATE_EPOCH", "1700000000");
  const code = await main(["review", "--window", "64", "--tokens", "2", "--out", out]);
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  expect(code).toBe(0);
  page = join(out, "index.html");
  expect(stdout).toBe(`wrote ${page}\n`);
  html = readFileSync(page, "utf8");
});

describe("the review page", () => {
  it("holds the figures, the tables, four charts and the waveform, and needs no other file", () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<div class="figure" id="latency"><b>65 ns</b>');
    expect(html).toContain(`<div class="figure" id="energy"><b>${num(TOTAL_PJ, 1)} pJ</b>`);
    for (const heading of ["Provenance", "Latency, energy, power and throughput", "Energy per token, one head", "Accuracy", "Associative recall", "Area",
      "Against the GPUs of docs/model.md §5", "One token, as traced", "Configuration", "Technology"]) {
      expect(html).toContain(`<h2>${heading}</h2>`);
    }
    expect(html).toContain("NVIDIA RTX 4090");
    expect(html).toContain("<td>command</td><td>gaincell review --window 64 --tokens 2 --out ");
    expect(html).toContain("<td>date</td><td>2023-11-14T22:13:20.000Z</td>");
    expect(html).toMatch(/<td>vddV<\/td><td class="n">0\.9<\/td><td>V<\/td><td>paper<\/td>/);
    expect(html).toMatch(/<td>cpcBiasUa<\/td><td class="n">[\d.]+<\/td><td>µA<\/td><td>derived<\/td>/);
    expect(html).toMatch(/<td>chargeActivity<\/td><td class="n">0\.5<\/td><td><\/td><td>assumption<\/td>/);
    expect(html).toMatch(/<td>ideal chip<\/td><td class="n">2 \(from token 64\)<\/td>/);
    expect(html.match(/<svg[\s>]/g)).toHaveLength(5);
    expect(html).not.toMatch(/<script|<link|\bsrc=|href="http|url\(http/i);
  });

  it("shows associative recall on the ideal chip: every pair recalled up to the window's last slot", () => {
    // a 64-slot window keeps the pair 63 tokens back; 63 · 65 ns + 2 ns from its write to the read
    expect(html).toContain('<b id="recall-capacity">Capacity (bit accuracy ≥ 0.99): 63 tokens (4.097 µs)</b>');
    expect(html).toContain("<tr><td class=\"n\">63</td><td class=\"n\">4.097</td><td class=\"n\">1.0000</td><td class=\"n\">1.000</td></tr>");
    expect(html).toContain("<tr><td class=\"n\">64</td><td class=\"n\">4.162</td><td class=\"n\">0.5000</td><td class=\"n\">0.000</td></tr>");
    expect(html).toContain("Recall against distance (functional, ideal chip, window 64)");
  });

  it("captions the waveform with the lanes it draws, in order", () => {
    const caption = /<p id="wave-caption">[^]*?Lanes, top to bottom: ([^]*?)\.<\/p>/.exec(html)![1].split("; ");
    const wave = /<div class="wave">([^]*?)<\/div>/.exec(html)![1];
    expect(caption).toHaveLength(14);
    expect(caption[0]).toBe("sequencer state");
    let at = 0;
    for (const label of caption) {
      const found = wave.indexOf(`>${label}</text>`, at); // labels are escaped alike in caption and SVG
      expect(found, label).toBeGreaterThan(at);
      at = found;
    }
    expect(caption.find((l) => l.startsWith("cpc["))).toMatch(/^cpc\[\d+\]\.charge \(fC\)$/);
  });

  it("with --variation, shows the realised chip's accuracy beside the ideal chip's (docs/model.md §7)", async () => {
    const out = join(dir, "review-mild");
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const code = await main(["review", "--window", "64", "--tokens", "2", "--out", out, "--variation", "mild", "--variation-seed", "2"]);
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const mild = readFileSync(join(out, "index.html"), "utf8");
    expect(mild).toMatch(/<th>counts changed vs the ideal chip<\/th><th>largest change<\/th>/);
    expect(mild).toMatch(/<td>ideal chip<\/td><td class="n">2 \(from token 64\)<\/td>/);
    expect(mild).toMatch(/<td>realised chip \(preset mild, seed 2, retention per token\)<\/td><td class="n">2 \(from token 64\)<\/td>(<td class="n">[^<]*<\/td>){2}<td class="n">[\d.]+ %<\/td><td class="n">\d+ counts?<\/td>/);
    expect(mild).toContain("Against the ideal chip&#39;s outputs over the same tokens: RMS difference");
  });

  it("shows usage errors with exit 2", async () => {
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    expect(await main(["review"])).toBe(2);
    vi.restoreAllMocks();
  });

  it_chromium("loads in headless chromium with no console error and shows the figures", async () => {
    const context = await chromium.launchPersistentContext(mkdtempSync(join(dir, "chromium-profile-")), {
      executablePath: "/usr/bin/chromium",
      headless: true,
      // Playwright takes the profile folder as its first argument, not as --user-data-dir
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const tab = await context.newPage();
      const problems: string[] = [];
      tab.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
      });
      tab.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      tab.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
      await tab.goto(`file://${page}`, { waitUntil: "load" });
      expect(await tab.locator("#latency").innerText()).toMatch(/^65 ns\s+latency per token/);
      expect(await tab.locator("#energy").innerText()).toContain(`${num(TOTAL_PJ, 1)} pJ`);
      expect(await tab.locator("#headline").isVisible()).toBe(true);
      expect(await tab.locator("#headline").innerText()).toContain(`65 ns and ${num(TOTAL_PJ / 1000, 3)} nJ per head per token: 344× the NVIDIA RTX 4090's speed`);
      // every SVG lays out with a size, and each parses as XML on its own (a slide tool will read it so)
      const svgs = await tab.evaluate(() =>
        [...document.querySelectorAll("svg")].map((svg) => {
          const box = svg.getBoundingClientRect();
          const parsed = new DOMParser().parseFromString(new XMLSerializer().serializeToString(svg), "image/svg+xml");
          return { width: box.width, height: box.height, xmlError: parsed.querySelector("parsererror")?.textContent ?? null };
        }),
      );
      expect(svgs).toHaveLength(5);
      for (const s of svgs) {
        expect(s.xmlError).toBeNull();
        expect(s.width).toBeGreaterThan(100);
        expect(s.height).toBeGreaterThan(50);
      }
      expect(await tab.locator(".wave svg text", { hasText: "sequencer state" }).isVisible()).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe("the waveform excerpt", () => {
  let excerpt: WaveExcerpt;
  const c = validateAccelerator({ windowM: 64 });
  beforeAll(async () => {
    excerpt = (await traceOneToken(c, seededInputs(16, 1, 64, 1)))!;
  });

  it("spans one token's schedule, from a cycle before its LOAD to its result", () => {
    expect(excerpt.token).toBeGreaterThanOrEqual(1);
    expect(excerpt.toPs - excerpt.fromPs).toBe(68 * 1000); // 65 cycles + 3
    const state = excerpt.lanes.find((l) => l.label === "sequencer state")!;
    const shown = state.changes.filter((x) => x.time > excerpt.fromPs && x.time < excerpt.toPs).map((x) => state.names![parseInt(String(x.value), 2)]);
    expect(shown.slice(0, 8)).toEqual(["LOAD", "WRITE", "PRECHARGE1", "PHASE1", "PRECHARGE2", "PHASE2", "CONVERT", "ACCUMULATE"]);
    const valid = excerpt.lanes.find((l) => l.label === "acc.outValid")!;
    expect(valid.changes.some((x) => x.value === "1" && x.time > excerpt.fromPs && x.time < excerpt.toPs)).toBe(true);
  });

  it("shows a CPC that pulses and a signed CPC that counts", () => {
    const within = (label: RegExp) => {
      const lane = excerpt.lanes.find((l) => label.test(l.label))!;
      return lane.changes.filter((x) => x.time > excerpt.fromPs && x.time < excerpt.toPs);
    };
    expect(within(/^cpc\[\d+\]\.pulse/).some((x) => x.value === "1")).toBe(true);
    expect(within(/^scpc\[\d+\]\.count$/).some((x) => parseInt(String(x.value), 2) > 0)).toBe(true);
  });

  it("draws every lane, names the states and escapes text", () => {
    const svg = waveformSvg(excerpt, "a < b & c");
    expect(svg).toContain("<title>a &lt; b &amp; c</title>");
    for (const lane of excerpt.lanes) expect(svg).toContain(`>${lane.label.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</text>`);
    expect(svg).toContain(">PHASE1</text>");
    expect(svg.match(/<text [^>]*font-size="[^"]*"[^>]*font-size=/)).toBeNull(); // one font-size per element: valid XML
  });
});
