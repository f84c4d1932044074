// The verification kit (`import { … } from "gaincell/verify"`): re-exports only. docs/verification.md
// describes it: temporal monitors, functional coverage, arbitraries, the accelerator's own protocol.

// Sampled expressions and the SVA sampled-value functions
export { and, eq, expr, ge, gt, inRange, konst, le, lt, ne, not, or, sig, term, Term } from "./terms.js";
export type { Operand, Scalar } from "./terms.js";
export { changed, count, fell, past, rose, stable } from "./sampledFunctions.js";
export { describeValue, enumNames, signalsOf } from "./values.js";
export type { ValueNames } from "./values.js";

// Temporal monitors
export { Checker, MonitorError } from "./Checker.js";
export type { CheckerOptions, FailureAction, MonitorFailure, MonitorResult } from "./Checker.js";
export { ClockedMonitor, Eventuality, Implication, Monitor, PulseWidth } from "./monitors.js";
export type { MonitorKind } from "./monitors.js";
export { failuresOf, runMonitored, traceFailure } from "./runMonitored.js";
export type { FailureTraceOptions, MonitoredDesign, MonitoredRun, MonitoredRunOptions } from "./runMonitored.js";

// Functional coverage
export { Coverage, CoverCross, CoverPoint, valueBins } from "./Coverage.js";
export type { BinSpec, CoverPointOptions } from "./Coverage.js";
export { coverageJson, coverageText, coverageTotals, mergeCoverage, missedBins } from "./coverageReport.js";
export type { CoverageReport, CoverageTotals, CoverItem } from "./coverageReport.js";

// The accelerator's protocol, its testbench and the check against the functional model
export { checkHead, coverHeads, STATE_ARCS, STATE_NAMES } from "./protocol.js";
export type { HeadPorts, SequencerPorts } from "./protocol.js";
export { VerifyBench } from "./VerifyBench.js";
export { BOUNDARY_SLACK, compareWithReference } from "./reference.js";
export type { Mismatch } from "./reference.js";
export { runVerifyCase } from "./runCase.js";
export { junitXml, xmlText } from "./junit.js";
export type { JunitCase, JunitSuite } from "./junit.js";
export type { CaseOptions, CaseResult } from "./runCase.js";

// Arbitraries for properties
export { arbChip, arbConfig, arbQkv, arbStalls, arbTokenStream, arbVariation, arbVerifyCase } from "./arbitraries.js";
export type { ConfigBounds, RealisationArbitrary, VerifyCase, VerifyCaseOptions } from "./arbitraries.js";
