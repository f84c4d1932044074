// Draws a waveform excerpt as SVG, in the manner of a waveform viewer: a time axis in ns, bits as
// high/low lines, buses as value boxes, analog nodes as step lines scaled to their range.
import type { VcdChange } from "../engine/VcdReader.js";
import type { WaveExcerpt, WaveLane } from "./waveTrace.js";

const LABEL_W = 230;
const PLOT_W = 760;
const AXIS_H = 30;
const LANE_H: Record<WaveLane["kind"], number> = { bit: 24, bus: 24, analog: 44 };
const PAD = 5;
const FONT = `font-family="Helvetica, Arial, sans-serif"`;

/** Escapes text for SVG and HTML. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The lane's value at `t` and its changes within (from, to), as [time, value] steps. */
function steps(changes: readonly VcdChange[], from: number, to: number): [number, string | number][] {
  let current: string | number = changes[0]?.value ?? 0;
  const out: [number, string | number][] = [];
  for (const c of changes) {
    if (c.time <= from) current = c.value;
    else if (c.time < to) out.push([c.time, c.value]);
  }
  return [[from, current], ...out];
}

function busText(lane: WaveLane, v: string | number): string {
  const n = typeof v === "number" ? v : /^[01]+$/.test(v) ? parseInt(v, 2) : NaN;
  if (Number.isNaN(n)) return String(v);
  return lane.names?.[n] ?? String(n);
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(3);
}

/** The excerpt as a standalone SVG document. */
export function waveformSvg(w: WaveExcerpt, title: string): string {
  const span = w.toPs - w.fromPs;
  const x = (t: number) => LABEL_W + ((t - w.fromPs) / span) * PLOT_W;
  const height = AXIS_H + w.lanes.reduce((h, l) => h + LANE_H[l.kind], 0) + PAD;
  const parts: string[] = [];
  // time axis: a tick every 5 ns from the excerpt's start, labelled in ns
  const tickPs = 5000;
  for (let t = w.fromPs; t <= w.toPs; t += tickPs) {
    parts.push(`<line x1="${x(t)}" y1="${AXIS_H - 6}" x2="${x(t)}" y2="${height}" stroke="#e4e4e4"/>`);
    parts.push(`<text x="${x(t)}" y="${AXIS_H - 10}" text-anchor="middle" ${FONT} font-size="12" fill="#555">${fmt((t - w.fromPs) / 1000)}</text>`);
  }
  parts.push(`<text x="${LABEL_W - 14}" y="${AXIS_H - 10}" text-anchor="end" ${FONT} font-size="12" fill="#555">ns</text>`);
  let y = AXIS_H;
  w.lanes.forEach((lane, i) => {
    const h = LANE_H[lane.kind];
    const top = y + PAD;
    const bottom = y + h - PAD;
    if (i % 2 === 0) parts.push(`<rect x="0" y="${y}" width="${LABEL_W + PLOT_W}" height="${h}" fill="#f7f7fa"/>`);
    parts.push(`<text x="${LABEL_W - 8}" y="${y + h / 2 + 4}" text-anchor="end" ${FONT} font-size="12">${escapeXml(lane.label)}</text>`);
    const s = steps(lane.changes, w.fromPs, w.toPs);
    if (lane.kind === "bit") parts.push(bitPath(s, x, w.toPs, top, bottom));
    else if (lane.kind === "bus") parts.push(...busBoxes(lane, s, x, w.toPs, top, bottom));
    else parts.push(...analogPath(s, x, w.toPs, top, bottom));
    y += h;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LABEL_W + PLOT_W}" height="${height}" viewBox="0 0 ${LABEL_W + PLOT_W} ${height}" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...parts,
    `</svg>`,
  ].join("\n");
}

function bitPath(s: [number, string | number][], x: (t: number) => number, end: number, top: number, bottom: number): string {
  const level = (v: string | number) => (v === "1" ? top : bottom);
  let d = `M${x(s[0][0])},${level(s[0][1])}`;
  for (let i = 1; i < s.length; i++) d += ` H${x(s[i][0])} V${level(s[i][1])}`;
  d += ` H${x(end)}`;
  return `<path d="${d}" fill="none" stroke="#1f6f3f" stroke-width="1.5"/>`;
}

function busBoxes(lane: WaveLane, s: [number, string | number][], x: (t: number) => number, end: number, top: number, bottom: number): string[] {
  const mid = (top + bottom) / 2;
  return s.map(([t, v], i) => {
    const x0 = x(t);
    const x1 = x(i + 1 < s.length ? s[i + 1][0] : end);
    const bevel = Math.min(3, (x1 - x0) / 2);
    const box = `<path d="M${x0},${mid} L${x0 + bevel},${top} H${x1 - bevel} L${x1},${mid} L${x1 - bevel},${bottom} H${x0 + bevel} Z" fill="#eaf1fb" stroke="#2b5d9b"/>`;
    const text = busText(lane, v);
    // a label that does not fit its box is left out; hovering shows it
    const fits = text.length * 7 < x1 - x0 - 4;
    return `<g><title>${escapeXml(`${lane.label} = ${text}`)}</title>${box}${fits ? `<text x="${(x0 + x1) / 2}" y="${mid + 4}" text-anchor="middle" ${FONT} font-size="11">${escapeXml(text)}</text>` : ""}</g>`;
  });
}

function analogPath(s: [number, string | number][], x: (t: number) => number, end: number, top: number, bottom: number): string[] {
  const values = s.map(([, v]) => Number(v));
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const yOf = (v: number) => (hi === lo ? bottom : bottom - ((v - lo) / (hi - lo)) * (bottom - top));
  let d = `M${x(s[0][0])},${yOf(values[0])}`;
  for (let i = 1; i < s.length; i++) d += ` H${x(s[i][0])} V${yOf(values[i])}`;
  d += ` H${x(end)}`;
  return [
    `<line x1="${x(s[0][0])}" y1="${yOf(0)}" x2="${x(end)}" y2="${yOf(0)}" stroke="#bbb" stroke-dasharray="3,3"/>`,
    `<path d="${d}" fill="none" stroke="#b5461f" stroke-width="1.5"/>`,
    `<text x="${x(end) - 4}" y="${top + 9}" text-anchor="end" ${FONT} font-size="10" fill="#777">${escapeXml(`${fmt(lo)} … ${fmt(hi)}`)}</text>`,
  ];
}
