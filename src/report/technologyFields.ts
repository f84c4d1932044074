// The fields of a technology description (docs/ledger.md): what the energy laws (energy.ts) read and
// what technology.ts fills, validates and calibrates; a file of its own so neither imports the other back.

/** The fields of a technology JSON file: law constants (energy) and area per block (µm²). */
export interface TechnologyFields {
  /** What this description is and where its numbers come from. */
  readonly description: string;
  /** Supply and signal swing of every line, integrator and gate, V. */
  readonly vddV: number;
  /** Write bit line, per cell along it, fF. */
  readonly writeBitLineFfPerCell: number;
  /** Read bit line (K column, V row), per cell along it, fF. */
  readonly readBitLineFfPerCell: number;
  /** Word line (write, q read, φ read), per cell along it, fF. */
  readonly wordLineFfPerCell: number;
  /** One flip-flop clocked once (PWM and output counters), fF switched. */
  readonly flipFlopFf: number;
  /** Mean |charge| an integrator takes per conversion, as a fraction of its full scale. */
  readonly chargeActivity: number;
  /** One unit element of a K/V write DAC (2^bits per DAC), fF switched per conversion. */
  readonly dacUnitFf: number;
  /** Bias of one CPC comparator, on through PHASE 2, µA. */
  readonly cpcBiasUa: number;
  /** Bias of one signed-CPC comparator, on through CONVERT, µA. */
  readonly signedCpcBiasUa: number;
  /** Digital control and routing: capacitance switched per control-clock cycle, pF. */
  readonly controlPfPerCycle: number;
  /** Digital control: leakage current, on all through the token, mA. */
  readonly controlLeakageMa: number;
  /** One gain cell of a K or V array. */
  readonly cellUm2: number;
  /** One charge-to-pulse converter (one per K column). */
  readonly cpcUm2: number;
  /** One signed CPC with its counter (one per V row of each sub-tile). */
  readonly signedCpcUm2: number;
  /** One q PWM driver (one per K row). */
  readonly pwmDriverUm2: number;
  /** One K or V write DAC with its bit-line driver (two per row). */
  readonly dacUm2: number;
  /** One head's digital controller: sequencer, slot pointer, adder tree and routing. */
  readonly controllerUm2: number;
}
