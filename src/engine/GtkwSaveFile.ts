// A GTKWave save file (.gtkw) for a trace VcdTrace writes: groups of signals with display formats,
// named as GTKWave names them, and a dump file path that GTKWave finds beside the save file.
import { basename, dirname, posix, relative, resolve, sep } from "node:path";
import { SignalKind, type TimePs } from "./api.js";
import type { Signal } from "./Signal.js";
import { traceName } from "./VcdTrace.js";

/** How GTKWave draws a trace. */
export type GtkwFormat = "binary" | "hex" | "decimal" | "signed" | "analog" | "value";

/** A named, collapsible group of traces. */
export interface GtkwGroup {
  name: string;
  traces: { signal: Signal; format: GtkwFormat }[];
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
}

// Trace flags of GTKWave 3.3 (analyzer.h), as its own save files write them. Found by experiment:
// GTKWave's Data_Format menu, then File/Write_Save_File, writes a bit as 0x28 (right-justified
// binary), Decimal as 0x24, Signed_Decimal as 0x420 and Analog/Step as 0x8000 added to the real's
// 0x28; an analog height extension is a blank row with 0x20000. GTKWave shows a real's value in
// decimal whatever its base flag.
const TR_HEX = 0x2;
const TR_DEC = 0x4;
const TR_BIN = 0x8;
const TR_RJUSTIFY = 0x20;
const TR_BLANK = 0x200;
const TR_SIGNED = 0x400;
const TR_ANALOG_STEP = 0x8000;
const TR_ANALOG_BLANK_STRETCH = 0x20000;
const TR_GRP_BEGIN = 0x800000;
const TR_GRP_END = 0x1000000;

const FLAGS: Record<GtkwFormat, number> = {
  binary: TR_RJUSTIFY | TR_BIN,
  hex: TR_RJUSTIFY | TR_HEX,
  decimal: TR_RJUSTIFY | TR_DEC,
  signed: TR_RJUSTIFY | TR_SIGNED,
  analog: TR_RJUSTIFY | TR_BIN | TR_ANALOG_STEP,
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
    for (const { signal, format } of group.traces) {
      row(FLAGS[format], gtkwName(signal));
      if (format === "analog") for (let i = 0; i < analogRows; i++) row(TR_ANALOG_BLANK_STRETCH, "-");
    }
    row(TR_GRP_END | TR_BLANK, `-${group.name}`);
  }
  lines.push("[pattern_trace] 1", "[pattern_trace] 0");
  return `${lines.join("\n")}\n`;
}

/** Zoom that fits `rangePs` into the wave pane. */
function zoomToFit(rangePs: TimePs): number {
  // GTKWave shows 2^−zoom time units per frame of 200 pixels (found by experiment: zoom −3 shows
  // 0.04 ps per pixel; the zoom it saves after Zoom_Best_Fit matches this for its window width)
  const PIXELS_PER_FRAME = 200;
  return -Math.log2((Math.max(1, rangePs) * PIXELS_PER_FRAME) / WAVE_WIDTH_PX);
}
