// The ledger's energy laws (docs/ledger.md): each part of docs/model.md §4's four components priced per
// event from first-order circuit laws (C·V², Q·V, I·V·t) of the configuration and the technology.
import { countBits, codeBits } from "../analog/params.js";
import type { AcceleratorConfig } from "../arch/config.js";
import type { EventCounts, EventKind } from "./events.js";
import type { TechnologyFields } from "./technologyFields.js";

/** docs/model.md §4's components, the paper's rows. */
export const COMPONENTS = ["stage1", "stage2", "write", "control"] as const;
export type Component = (typeof COMPONENTS)[number];

/** docs/model.md §4's names of the components. */
export const COMPONENT_NAMES: Record<Component, string> = {
  stage1: "stage 1: K arrays + CPCs",
  stage2: "stage 2: V arrays + signed CPCs",
  write: "K/V write (DACs, drivers)",
  control: "digital control and routing",
};
/** docs/model.md §4's figures per head per token at the default configuration, pJ. */
export const PAPER_COMPONENT_PJ: Record<Component, number> = { stage1: 1120, stage2: 700, write: 330, control: 4000 };

/** What the numbers of a law are at one configuration, in the units the laws use (fF, V, fC, µA, ns). */
interface LawInputs {
  v: number;
  M: number;
  D: number;
  t: TechnologyFields;
  tMaxNs: number;
  phase2Ns: number;
  convertNs: number;
  bitsQ: number;
  bitsKv: number;
  bitsOut: number;
  levelsQ: number;
  convertCycles: number;
  sSat: number;
}

/** One part of a component: the event it is priced per and its law. */
export interface EnergyPart {
  readonly id: string;
  readonly component: Component;
  readonly label: string;
  readonly event: EventKind;
  /** The law as a formula, for the report. */
  readonly law: string;
  /** fJ per event. */
  readonly fj: (x: LawInputs) => number;
}

// fF × V² = fJ; fC × V = fJ; µA × V × ns = fJ; mA × V × ns = pJ.
/** The parts, in the report's order; docs/ledger.md gives each law's source. */
export const ENERGY_PARTS: readonly EnergyPart[] = [
  {
    id: "pwmDrivers", component: "stage1", label: "q PWM drivers", event: "pwmPulses",
    law: "(C_wl·M + C_ff·bits_q·(L_q − 1))·V²",
    // the read word line of row d runs through every sub-tile's K array (M cells); a bits_q-bit counter steps L_q − 1 times in T_max
    fj: (x) => (x.t.wordLineFfPerCell * x.M + x.t.flipFlopFf * x.bitsQ * (x.levelsQ - 1)) * x.v ** 2,
  },
  {
    id: "kColumns", component: "stage1", label: "K bit lines + CPC integrators", event: "stage1Columns",
    law: "C_bl·D·V² + α·S_sat·T_max·V",
    // the column's read bit line spans D cells; its integrator takes up to S_sat·T_max (µA·ns = fC), α of it on average
    fj: (x) => x.t.readBitLineFfPerCell * x.D * x.v ** 2 + x.t.chargeActivity * x.sSat * x.tMaxNs * x.v,
  },
  {
    id: "cpcs", component: "stage1", label: "CPC comparators", event: "stage1Columns",
    law: "I_cpc·V·t_PHASE2",
    // biased while it times its pulse, through PHASE 2
    fj: (x) => x.t.cpcBiasUa * x.v * x.phase2Ns,
  },
  {
    id: "vColumns", component: "stage2", label: "V word + bit lines", event: "stage2Columns",
    law: "(C_wl + C_bl)·D·V²",
    // φ_j drives column j's word line (D cells) and its D cells load the D row bit lines
    fj: (x) => (x.t.wordLineFfPerCell + x.t.readBitLineFfPerCell) * x.D * x.v ** 2,
  },
  {
    id: "signedIntegrators", component: "stage2", label: "signed-CPC integrators", event: "signedConversions",
    law: "α·(S_sat/2)·T_max·V",
    // full scale of a signed CPC is |A| = S_sat/2 (docs/model.md §1: o = quantise(A/40, …))
    fj: (x) => x.t.chargeActivity * (x.sSat / 2) * x.tMaxNs * x.v,
  },
  {
    id: "signedCpcs", component: "stage2", label: "signed-CPC comparators", event: "signedConversions",
    law: "I_scpc·V·t_CONVERT",
    fj: (x) => x.t.signedCpcBiasUa * x.v * x.convertNs,
  },
  {
    id: "counters", component: "stage2", label: "counters", event: "signedConversions",
    law: "C_ff·bits_out·n_CONVERT·V²",
    // a counter of the count range's bits, clocked every cycle of CONVERT
    fj: (x) => x.t.flipFlopFf * x.bitsOut * x.convertCycles * x.v ** 2,
  },
  {
    id: "writeLines", component: "write", label: "write bit + word lines", event: "cellsWritten",
    law: "(C_wbl·M + C_wl)·V²",
    // one write driver per head drives each row's write bit line through every sub-tile (M cells);
    // the column's word line (D cells) is shared by the D cells it writes: one cell's share each
    fj: (x) => (x.t.writeBitLineFfPerCell * x.M + x.t.wordLineFfPerCell) * x.v ** 2,
  },
  {
    id: "dacs", component: "write", label: "DACs", event: "cellsWritten",
    law: "C_dac·2^bits_kv·V²",
    // a unit-element DAC of bits_kv bits switches 2^bits_kv unit elements
    fj: (x) => x.t.dacUnitFf * 2 ** x.bitsKv * x.v ** 2,
  },
  {
    id: "controlLogic", component: "control", label: "clocked logic", event: "controlCycles",
    law: "C_ctrl·V²",
    fj: (x) => x.t.controlPfPerCycle * 1000 * x.v ** 2,
  },
  {
    id: "controlLeakage", component: "control", label: "leakage", event: "tokenNs",
    law: "I_leak·V (per ns of the token)",
    fj: (x) => x.t.controlLeakageMa * 1000 * x.v,
  },
];

/** The law inputs of configuration `c` with technology `t`. */
function lawInputs(c: AcceleratorConfig, t: TechnologyFields): LawInputs {
  const ns = (cycles: number) => (cycles * c.clockPeriodPs) / 1000;
  return {
    v: t.vddV,
    M: c.windowM,
    D: c.D,
    t,
    tMaxNs: c.tMaxPs / 1000,
    phase2Ns: ns(c.phase2Cycles),
    convertNs: ns(c.convertCycles),
    bitsQ: codeBits(c.levelsQ),
    bitsKv: codeBits(c.levelsKv),
    bitsOut: countBits(c.levelsOut),
    levelsQ: c.levelsQ,
    convertCycles: c.convertCycles,
    sSat: c.sSat,
  };
}

/** One part priced: pJ per event, events per token, pJ per token. */
export interface PricedPart {
  id: string;
  component: Component;
  label: string;
  event: EventKind;
  law: string;
  eventsPerToken: number;
  pjPerEvent: number;
  pj: number;
}

/** Energy per token of one head by docs/model.md §4 component, pJ, with its parts. */
export interface EnergySplit {
  stage1: number;
  stage2: number;
  write: number;
  control: number;
  total: number;
  parts: PricedPart[];
}

/** Prices one head's events per token `e` at configuration `c` with technology `t`. */
export function priceEvents(e: EventCounts, c: AcceleratorConfig, t: TechnologyFields): EnergySplit {
  const x = lawInputs(c, t);
  const parts = ENERGY_PARTS.map((p): PricedPart => {
    const pjPerEvent = p.fj(x) / 1000;
    const eventsPerToken = e[p.event];
    return { id: p.id, component: p.component, label: p.label, event: p.event, law: p.law, eventsPerToken, pjPerEvent, pj: eventsPerToken * pjPerEvent };
  });
  const sum = (k: Component) => parts.filter((p) => p.component === k).reduce((a, p) => a + p.pj, 0);
  const [stage1, stage2, write, control] = COMPONENTS.map(sum);
  return { stage1, stage2, write, control, total: stage1 + stage2 + write + control, parts };
}
