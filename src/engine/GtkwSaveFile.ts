// A GTKWave save file (.gtkw) for a trace VcdTrace writes: groups of signals with display formats,
// named as GTKWave names them, a dump file path that GTKWave finds beside the save file, and
// translate filter files beside it that show an encoded signal's values by name (FSM states).
import { basename, dirname, posix, relative, resolve, sep } from "node:path";
import { writeWholeFile } from "./OutputFile.js";
import { SignalKind, type TimePs } from "./api.js";
import { Real, type Signal } from "./Signal.js";
import { traceName } from "./VcdTrace.js";

/**
 * How GTKWave draws a trace. "analog" draws a real as steps, or through its vertices when it is its
 * module's piecewise-linear output (api.ts); "ramp" draws through the vertices always (for another
 * handle of such a net, e.g. the input it is connected to).
 */
export type GtkwFormat = "binary" | "hex" | "decimal" | "signed" | "analog" | "ramp" | "value";

/** One trace: a signal, its format and, for a decimal one, names shown instead of its values. */
export interface GtkwTrace {
  signal: Signal;
  format: GtkwFormat;
  /** Value → name (e.g. 4 → "PHASE1"), written to a translate filter file beside the save file. */
  names?: ReadonlyMap<number, string>;
}

/** A named group of traces, open when GTKWave loads the file. */
export interface GtkwGroup {
  name: string;
  traces: GtkwTrace[];
}

/** Where the save file and its trace are, and the view. */
export interface GtkwOptions {
  /** The VCD file the save file opens. */
  dumpFile: string;
  /** Where the save file is written. */
  saveFile: string;
  /** First and last time of the trace, ps: the view starts at the first and fits the range. */
  startPs: TimePs;
  endPs: TimePs;
  /** Comment lines at the top (what the view shows, how to make the trace). */
  comment?: string[];
  /** Extra rows under each analog trace, so its waveform has some height (3: four rows in all). */
  analogRows?: number;
  /** Scopes opened in GTKWave's hierarchy pane, e.g. ["layer", "layer.head[0]"]. */
  treeOpen?: string[];
  /** The trace draws steps only (VcdOptions.waveforms "steps"): "ramp" and piecewise-linear outputs are stepped too. */
  steps?: boolean;
}

// Trace flags of GTKWave 3.3 (analyzer.h), as its own save files write them. Found by experiment:
// GTKWave's Data_Format menu, then File/Write_Save_File, writes a bit as 0x28 (right-justified
// binary), Decimal as 0x24, Signed_Decimal as 0x420 and Analog/Step as 0x8000 added to the real's
// 0x28; an analog height extension is a blank row with 0x20000. GTKWave shows a real's value in
// decimal whatever its base flag. Analog/Interpolated is 0x10000 in place of 0x8000: GTKWave
// draws straight lines between the dump's values, as a piecewise-linear net is (api.ts).
const TR_HEX = 0x2;
const TR_DEC = 0x4;
const TR_BIN = 0x8;
const TR_RJUSTIFY = 0x20;
const TR_BLANK = 0x200;
const TR_SIGNED = 0x400;
const TR_FTRANSLATED = 0x2000;
const TR_ANALOG_STEP = 0x8000;
const TR_ANALOG_INTERPOLATED = 0x10000;
const TR_ANALOG_BLANK_STRETCH = 0x20000;
const TR_GRP_BEGIN = 0x800000;
const TR_GRP_END = 0x1000000;

const FLAGS: Record<GtkwFormat, number> = {
  binary: TR_RJUSTIFY | TR_BIN,
  hex: TR_RJUSTIFY | TR_HEX,
  decimal: TR_RJUSTIFY | TR_DEC,
  signed: TR_RJUSTIFY | TR_SIGNED,
  analog: TR_RJUSTIFY | TR_BIN | TR_ANALOG_STEP,
  ramp: TR_RJUSTIFY | TR_BIN | TR_ANALOG_INTERPOLATED,
  value: TR_RJUSTIFY | TR_BIN,
};

// The window: [size] width minus the tree and names panes, borders and a margin, is the wave's width.
const WINDOW = { width: 1400, height: 800, sstWidth: 260, signalsWidth: 330 };
const WAVE_WIDTH_PX = WINDOW.width - WINDOW.sstWidth - WINDOW.signalsWidth - 60;

/** The name GTKWave gives a traced signal: vectors carry their range, reals their unit suffix. */
export function gtkwName(s: Signal): string {
  const path = `${s.owner.path}.${traceName(s)}`;
  return s.kind === SignalKind.Real || s.width === 1 ? path : `${path}[${s.width - 1}:0]`;
}

/**
 * The save file's text. Paths in it are placeholders under /gaincell: GTKWave does not find the
 * dump file there, so it opens the one at the same place relative to the save file (as
 * traces/pwm64.gtkw relies on), and the text does not depend on where the clone is.
 */
export function gtkwSaveFileText(groups: GtkwGroup[], o: GtkwOptions): string {
  const saveDir = resolve(dirname(o.saveFile));
  const rel = relative(saveDir, resolve(o.dumpFile)).split(sep).join("/");
  const ups = rel.split("/").filter((s) => s === "..").length;
  const placeholderDir = posix.join("/gaincell", ...saveDir.split(sep).filter((s) => s !== "").slice(-Math.max(1, ups)));
  const filters = translateFilters(groups, o.saveFile);
  const lines = [
    "[*]",
    ...(o.comment ?? []).map((c) => `[*] ${c}`.trimEnd()),
    "[*]",
    `[dumpfile] "${posix.join(placeholderDir, rel)}"`,
    `[savefile] "${posix.join(placeholderDir, basename(o.saveFile))}"`,
    `[timestart] ${o.startPs}`,
    `[size] ${WINDOW.width} ${WINDOW.height}`,
    "[pos] -1 -1",
    // the zoom, then the primary marker and the 26 named ones, unset
    `*${zoomToFit(o.endPs - o.startPs).toFixed(6)} -1${" -1".repeat(26)}`,
    ...(o.treeOpen ?? []).map((scope) => `[treeopen] ${scope}.`),
    `[sst_width] ${WINDOW.sstWidth}`,
    `[signals_width] ${WINDOW.signalsWidth}`,
    "[sst_expanded] 1",
    "[sst_vpaned_height] 300",
  ];
  let flags = -1;
  const row = (f: number, text: string) => {
    if (f !== flags) lines.push(`@${f.toString(16)}`);
    flags = f;
    lines.push(text);
  };
  const analogRows = o.analogRows ?? 3;
  for (const group of groups) {
    if (group.traces.length === 0) continue;
    row(TR_GRP_BEGIN | TR_BLANK, `-${group.name}`);
    for (const { signal, format, names } of group.traces) {
      const filter = names === undefined ? undefined : filters.find((f) => f.names === names)!;
      // a piecewise-linear output drawn analog goes through its vertices: interpolated, not stepped;
      // a trace of steps has no vertices, so nothing in it is interpolated
      let drawn = format;
      if (o.steps === true) drawn = format === "ramp" ? "analog" : format;
      else if (format === "analog" && signal instanceof Real && signal.piecewiseLinear) drawn = "ramp";
      row(FLAGS[drawn] | (filter ? TR_FTRANSLATED : 0), gtkwName(signal));
      // GTKWave looks the filter up relative to the save file, as it does the dump file
      if (filter) lines.splice(lines.length - 1, 0, `^${filter.index} ${posix.join(placeholderDir, basename(filter.file))}`);
      if (drawn === "analog" || drawn === "ramp") for (let i = 0; i < analogRows; i++) row(TR_ANALOG_BLANK_STRETCH, "-");
    }
    row(TR_GRP_END | TR_BLANK, `-${group.name}`);
  }
  lines.push("[pattern_trace] 1", "[pattern_trace] 0");
  return `${lines.join("\n")}\n`;
}

/** A translate filter file: one line per value, `<value as GTKWave shows it in decimal> <name>`. */
export interface GtkwFilter {
  /** Where it is written: beside the save file. */
  file: string;
  /** GTKWave's number for it in the save file (^1, ^2 …). */
  index: number;
  names: ReadonlyMap<number, string>;
  text: string;
}

/** The translate filter files the save file refers to, one per distinct names map, named after the first signal using it. */
export function translateFilters(groups: GtkwGroup[], saveFile: string): GtkwFilter[] {
  const filters: GtkwFilter[] = [];
  const stem = saveFile.replace(/\.gtkw$/, "");
  for (const { traces } of groups) {
    for (const { signal, names } of traces) {
      if (names === undefined || filters.some((f) => f.names === names)) continue;
      const text = [`# ${signal.path}: values as GTKWave shows them in decimal, then their names`]
        .concat([...names].map(([value, name]) => `${value} ${name}`)).join("\n");
      filters.push({ file: `${stem}.${signal.name}-names.txt`, index: filters.length + 1, names, text: `${text}\n` });
    }
  }
  return filters;
}

/** Writes the save file to `o.saveFile`, and its translate filter files beside it, each whole or not at all. */
export function writeGtkwSaveFile(groups: GtkwGroup[], o: GtkwOptions): void {
  for (const f of translateFilters(groups, o.saveFile)) writeWholeFile(f.file, f.text);
  writeWholeFile(o.saveFile, gtkwSaveFileText(groups, o));
}

/** Zoom that fits `rangePs` into the wave pane. */
function zoomToFit(rangePs: TimePs): number {
  // GTKWave shows 2^−zoom time units per frame of 200 pixels (found by experiment: zoom −3 shows
  // 0.04 ps per pixel; the zoom it saves after Zoom_Best_Fit matches this for its window width)
  const PIXELS_PER_FRAME = 200;
  return -Math.log2((Math.max(1, rangePs) * PIXELS_PER_FRAME) / WAVE_WIDTH_PX);
}
