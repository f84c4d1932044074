// The technology description the ledger prices with (docs/model.md §4, docs/ledger.md): the constants of
// the energy laws and the area per block, each with its provenance (the paper's, derived from it,
// or our assumption); loadable from JSON and validated with errors that name the field.
import { cyclesPerToken, DEFAULT_ACCELERATOR } from "../arch/config.js";
import { readJsonFile } from "../jsonFile.js";
import { checkFields, finiteNumber, type Check } from "../fieldChecks.js";
import { COMPONENTS, PAPER_COMPONENT_PJ, priceEvents, type Component } from "./energy.js";
import type { EventCounts } from "./events.js";
import type { TechnologyFields } from "./technologyFields.js";

/** A numeric field of the technology. */
export type TechnologyField = Exclude<keyof TechnologyFields, "description">;

/** Where a value comes from: the paper, derived from the paper's figures, our assumption, or the user's file. */
export interface Provenance {
  kind: "paper" | "derived" | "assumption" | "given";
  note: string;
}

/** A technology with the provenance of each value. */
export interface Technology extends TechnologyFields {
  readonly provenance: Readonly<Record<TechnologyField, Provenance>>;
}

const paper = (note: string): Provenance => ({ kind: "paper", note });
const derived = (note: string): Provenance => ({ kind: "derived", note });
const assumed = (note: string): Provenance => ({ kind: "assumption", note });


// (ours) Share of the control energy that is leakage at the default: the paper gives no split.
const LEAKAGE_SHARE = 0.1;

const D = DEFAULT_ACCELERATOR.D;
const M = DEFAULT_ACCELERATOR.windowM;
const SUB_TILES = Math.ceil(M / DEFAULT_ACCELERATOR.tile);
const CYCLES = cyclesPerToken(DEFAULT_ACCELERATOR); // docs/model.md §3: 65 cycles = 65 ns at 1 GHz

/** The default head's events per token in steady state (docs/model.md §2–§4), the calibration's basis. */
export const DEFAULT_EVENTS: EventCounts = Object.freeze({
  cellsWritten: 2 * D, // a K and a V column of D cells
  stage1Columns: M, // every slot of a full window
  stage2Columns: M,
  controlCycles: CYCLES,
  pwmPulses: D, // one per K row
  signedConversions: SUB_TILES * D, // 64 × 16
  tokenNs: (CYCLES * DEFAULT_ACCELERATOR.clockPeriodPs) / 1000,
});

// The laws' constants that are not calibrated: the paper's supply and our first-order guesses.
const GIVEN_ENERGY = {
  vddV: [0.9, paper("docs/model.md §1: V_in = 0.9 V; stored voltages span 0..0.9 V")],
  writeBitLineFfPerCell: [0.15, assumed("drain junction plus wire per cell, a first-order guess for a gain-cell pitch")],
  readBitLineFfPerCell: [0.1, assumed("read-transistor junction plus wire per cell")],
  wordLineFfPerCell: [0.1, assumed("gate plus wire per cell")],
  flipFlopFf: [1, assumed("about 1 fJ per flip-flop clock at 1 V, typical of a 28 nm-class standard cell")],
  chargeActivity: [0.5, assumed("integrators take on average half their full-scale charge")],
} as const satisfies Partial<Record<TechnologyField, readonly [number, Provenance]>>;

// The constant of each component solved so that the default configuration's component equals the
// paper's figure exactly: each law is linear in it, so two evaluations give it.
const FREE: Record<Component, TechnologyField> = { stage1: "cpcBiasUa", stage2: "signedCpcBiasUa", write: "dacUnitFf", control: "controlPfPerCycle" };

function calibrate(): Omit<TechnologyFields, "description" | AreaField> {
  const fixed = Object.fromEntries(Object.entries(GIVEN_ENERGY).map(([k, [v]]) => [k, v])) as Record<string, number>;
  // leakage: the assumed share of the paper's control energy over the default token's time
  fixed.controlLeakageMa = (LEAKAGE_SHARE * PAPER_COMPONENT_PJ.control) / DEFAULT_EVENTS.tokenNs / fixed.vddV;
  const at = (free: number) => {
    const t = { ...fixed, ...Object.fromEntries(COMPONENTS.map((k) => [FREE[k], free])) } as unknown as TechnologyFields;
    return priceEvents(DEFAULT_EVENTS, DEFAULT_ACCELERATOR, t);
  };
  const [e0, e1] = [at(0), at(1)];
  for (const k of COMPONENTS) fixed[FREE[k]] = (PAPER_COMPONENT_PJ[k] - e0[k]) / (e1[k] - e0[k]);
  return fixed as unknown as Omit<TechnologyFields, "description" | AreaField>;
}

// docs/model.md §4: 0.5 mm² per head including digital control. The paper's basis for area is not stated
// in full; the K/V crossbars alone are 15.7e-3 mm² per GPT-2 head, so a cell is that over 131,072.
const HEAD_UM2 = 0.5e6;
const CROSSBARS_UM2 = 15.7e-3 * 1e6;
// (ours) How the rest of the head (periphery and control, 0.4843 mm²) splits: the paper gives no
// breakdown. We give the two converter banks most of it (1,024 CPCs and 1,024 signed CPCs with
// counters), the controller a fifth, and the small drivers the remainder. Change it in a JSON file.
const PERIPHERY_SHARE = { cpc: 0.35, signedCpc: 0.35, pwmDriver: 0.05, dac: 0.05, controller: 0.2 };
const PERIPHERY_UM2 = HEAD_UM2 - CROSSBARS_UM2;
const share = (what: string, of: string) => assumed(`${what} of the 0.4843 mm² of periphery (0.5 mm² per head, docs/model.md §4, less the crossbars), split over ${of}`);

const AREA = {
  cellUm2: [CROSSBARS_UM2 / (2 * M * D), derived("15.7e-3 mm² of K/V crossbars per head (docs/model.md §4) over its 131,072 cells")],
  cpcUm2: [(PERIPHERY_SHARE.cpc * PERIPHERY_UM2) / M, share("35 %", "1,024 CPCs")],
  signedCpcUm2: [(PERIPHERY_SHARE.signedCpc * PERIPHERY_UM2) / (SUB_TILES * D), share("35 %", "1,024 signed CPCs")],
  pwmDriverUm2: [(PERIPHERY_SHARE.pwmDriver * PERIPHERY_UM2) / D, share("5 %", "64 PWM drivers")],
  dacUm2: [(PERIPHERY_SHARE.dac * PERIPHERY_UM2) / (2 * D), share("5 %", "128 DACs")],
  controllerUm2: [PERIPHERY_SHARE.controller * PERIPHERY_UM2, share("20 %", "one controller")],
} as const satisfies Partial<Record<TechnologyField, readonly [number, Provenance]>>;
type AreaField = keyof typeof AREA;

const CALIBRATED = calibrate();
const solved = (component: Component, unit: string) =>
  derived(`solved so that ${component} is docs/model.md §4's ${PAPER_COMPONENT_PJ[component].toLocaleString("en")} pJ per head per token at the default configuration (${unit})`);

/** The default technology: docs/model.md §4's figures at the default head, through the laws of docs/ledger.md. */
export const DEFAULT_TECHNOLOGY: Technology = Object.freeze({
  description: "defaults: laws of docs/ledger.md calibrated to docs/model.md §4 (1,120 + 700 + 330 + 4,000 pJ, 0.5 mm² per head at M 1024, D 64)",
  ...CALIBRATED,
  ...(Object.fromEntries(Object.entries(AREA).map(([k, [v]]) => [k, v])) as Record<AreaField, number>),
  provenance: Object.freeze({
    ...(Object.fromEntries(Object.entries({ ...GIVEN_ENERGY, ...AREA }).map(([k, [, p]]) => [k, p])) as Record<keyof typeof GIVEN_ENERGY | AreaField, Provenance>),
    controlLeakageMa: assumed(`${LEAKAGE_SHARE * 100} % of docs/model.md §4's 4,000 pJ of control is leakage over the 65 ns token (the paper gives no split)`),
    cpcBiasUa: solved("stage1", "the remainder after the lines, integrators and PWM drivers"),
    signedCpcBiasUa: solved("stage2", "the remainder after the lines, integrators and counters"),
    dacUnitFf: solved("write", "the remainder after the write lines"),
    controlPfPerCycle: solved("control", "the remainder after leakage"),
  }),
});

/** The unit of each numeric field. */
export const TECHNOLOGY_UNITS: Readonly<Record<TechnologyField, string>> = {
  vddV: "V",
  writeBitLineFfPerCell: "fF",
  readBitLineFfPerCell: "fF",
  wordLineFfPerCell: "fF",
  flipFlopFf: "fF",
  chargeActivity: "",
  dacUnitFf: "fF",
  cpcBiasUa: "µA",
  signedCpcBiasUa: "µA",
  controlPfPerCycle: "pF",
  controlLeakageMa: "mA",
  cellUm2: "µm²",
  cpcUm2: "µm²",
  signedCpcUm2: "µm²",
  pwmDriverUm2: "µm²",
  dacUm2: "µm²",
  controllerUm2: "µm²",
};

const TECHNOLOGY_CHECKS = {
  description: (v: unknown) => (typeof v === "string" ? undefined : `${JSON.stringify(v)} is not a string`),
  ...(Object.fromEntries(Object.entries(TECHNOLOGY_UNITS).map(([k, unit]) => [k, finiteNumber(0, false, unit)])) as Record<TechnologyField, Check>),
  vddV: finiteNumber(0, true, "V"),
  chargeActivity: (v: unknown) => finiteNumber(0, false, "")(v) ?? ((v as number) > 1 ? `${String(v)} is above 1: it is a fraction of the full-scale charge` : undefined),
} satisfies { readonly [K in keyof TechnologyFields]: Check };

/** The numeric fields, in the file's order. */
export const TECHNOLOGY_FIELDS = Object.keys(TECHNOLOGY_UNITS) as TechnologyField[];

/** Fills `partial` from the defaults and checks every field; errors name the field as `tech.<field>`. */
export function validateTechnology(partial: unknown = {}, source?: string): Technology {
  const { provenance: _, ...defaults } = DEFAULT_TECHNOLOGY;
  const fields = checkFields<TechnologyFields>(partial, TECHNOLOGY_CHECKS, defaults, "tech", source);
  const given = TECHNOLOGY_FIELDS.filter((k) => (partial as Partial<TechnologyFields>)[k] !== undefined);
  const from = source ?? "the caller";
  const provenance = { ...DEFAULT_TECHNOLOGY.provenance };
  for (const k of given) provenance[k] = { kind: "given", note: `given in ${from}` };
  // a file that changes a number but keeps the default description would claim the spec's calibration
  const description = (partial as Partial<TechnologyFields>).description === undefined && given.length > 0
    ? `from ${from} (fields not given take the defaults of docs/ledger.md)`
    : fields.description;
  return Object.freeze({ ...fields, description, provenance: Object.freeze(provenance) });
}

/** Reads and validates a technology JSON file; errors name the file or the field. */
export function loadTechnology(file: string): Technology {
  return validateTechnology(readJsonFile(file), file);
}
