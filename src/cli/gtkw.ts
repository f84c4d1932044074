// The GTKWave view of an attention trace: controller (states by name), the q word lines, one
// written K column, one CPC, one V row's charge and its signed CPC and the outputs of head 0, taken from the built layer
// so it follows the configuration.
import type { AttentionLayer } from "../arch/AttentionLayer.js";
import { SequencerState } from "../control/TokenSequencer.js";
import { gtkwSaveFileText, translateFilters, type GtkwFilter, type GtkwFormat, type GtkwGroup, type GtkwOptions, type GtkwTrace } from "../engine/GtkwSaveFile.js";
import { traceSelection } from "../engine/VcdTrace.js";
import type { Signal } from "../engine/Signal.js";
import { enumNames } from "../verify/values.js";

/** The sequencer's states by name, for GTKWave's translate filter. */
const STATE_NAMES = enumNames(SequencerState);

// What the save file says of itself at its top.
const GTKW_COMMENT = [
  "GTKWave save file for a trace of gaincell attend, written by its --gtkw option (npm start",
  "rewrites it with traces/attention.vcd beside it). Groups: controller (the state by name, from",
  "the translate filter file *.state-names.txt beside this file), the q word lines of rows 0..3,",
  "the bit lines of the K column being written, column 0's charge and its CPC's pulse, row 0's",
  "signed CPC, and the outputs (sums in signed counts; out_d = a_o x step x sum + b_o). The paths",
  "below are placeholders: GTKWave opens the trace and the filter at the same place relative to this file.",
];

/** Dimensions of the bit lines and outputs shown (fewer when D is smaller). */
const SHOWN_DIMS = 4;

/**
 * Head 0's groups, keeping only signals `traced` accepts (the trace's --signals filter), so that
 * every name in the save file is in the trace.
 */
export function attentionView(layer: AttentionLayer, traced: (s: Signal) => boolean): GtkwGroup[] {
  const head = layer.heads[0];
  const { seq, ptr, writeDriver: wdrv, acc } = head;
  const sub = head.subTiles[0];
  const cpc = sub.cpcs[0];
  const scpc = sub.signedCpcs[0];
  const dims = Array.from({ length: Math.min(SHOWN_DIMS, wdrv.blk.length) }, (_, d) => d);
  const group = (name: string, traces: [Signal, GtkwFormat][]): GtkwGroup => ({
    name,
    traces: traces.filter(([s]) => traced(s)).map(([signal, format]): GtkwTrace =>
      signal === seq.state ? { signal, format, names: STATE_NAMES } : { signal, format }),
  });
  return [
    group("controller", [
      [layer.clk, "binary"],
      [seq.state, "decimal"], // shown by name: IDLE, LOAD … ACCUMULATE (TokenSequencer's SequencerState)
      ...[seq.load, seq.write, seq.precharge1, seq.phase1, seq.precharge2, seq.phase2, seq.convert, seq.accumulate]
        .map((s): [Signal, GtkwFormat] => [s, "binary"]),
      [ptr.token, "decimal"],
      [ptr.slot, "decimal"],
    ]),
    // the read word lines of the K rows: q_d · T_max pulses in PHASE 1
    group("q word lines (PHASE 1)", dims.map((d) => [head.pwm[d].rwl, "binary"])),
    // the array's stored voltages are state, not signals: the bit lines hold the written column's
    group("K column written (bit lines, V)", dims.map((d) => [wdrv.blk[d], "analog"])),
    group("sub[0] column 0: charge to pulse", [
      [sub.kArray.charges[0], "analog"],
      [cpc.charge, "ramp"], // the K column's charge, seen at the converter's input
      [cpc.width, "analog"],
      [cpc.pulse, "binary"],
      [cpc.saturated, "binary"],
    ]),
    // the integrators' charges ramp as their input pulses end (drawn interpolated, GtkwSaveFile)
    group("sub[0] row 0: signed CPC", [
      [sub.vArray.charges[0], "analog"],
      [scpc.charge, "ramp"], // the V row's charge, seen at the converter's input
      [scpc.convert, "binary"],
      [scpc.sign, "binary"],
      [scpc.count, "decimal"],
      [scpc.discharging, "binary"],
    ]),
    group("outputs", [
      [acc.outValid, "binary"],
      ...dims.map((d): [Signal, GtkwFormat] => [acc.sums[d], "signed"]),
      ...dims.map((d): [Signal, GtkwFormat] => [acc.outs[d], "value"]),
    ]),
  ];
}

/**
 * `gaincell attend --gtkw`: the save file's text for head 0's view of a trace recorded with
 * `--signals signals`, and the translate filters it names (files to write beside it).
 */
export function attentionSaveFile(layer: AttentionLayer, signals: string | undefined, o: Omit<GtkwOptions, "comment" | "treeOpen">): { text: string; filters: GtkwFilter[] } {
  const groups = attentionView(layer, traceSelection(signals));
  const text = gtkwSaveFileText(groups, { ...o, comment: GTKW_COMMENT, treeOpen: [layer.path, layer.heads[0].path] });
  return { text, filters: translateFilters(groups, o.saveFile) };
}
