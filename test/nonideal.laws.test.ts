// The laws of a realised chip (docs/model.md §7), each against numbers worked by hand, and the variation
// parameters' validation.
import { describe, expect, it } from "vitest";
import { gCubic } from "../src/laws/deviceLaw.js";
import { outCode } from "../src/laws/quantise.js";
import {
  cellRate,
  cpcFraction,
  jitteredPulse,
  NOT_STUCK,
  realisedCurrent,
  retentionInTime,
  signedCpcInput,
  storedVoltage,
  T_TOKEN_PS,
} from "../src/laws/nonideal.js";
import { checkSeed, IDEAL_VARIATION, isIdealVariation, validateVariation } from "../src/laws/variation.js";
import { ConfigError } from "../src/errors.js";

describe("the laws of docs/model.md §7, by hand", () => {
  it("retention spread: λ_cell = λ·r; in time, δ = exp(−λ_cell·Δt/0.8 µs), so τ = 5 ms at λ = 1.6e-4 per token", () => {
    expect(cellRate(1.6e-4, 2)).toBe(3.2e-4);
    expect(T_TOKEN_PS).toBe(800_000);
    expect(retentionInTime(1.6e-4, 800_000)).toBe(Math.exp(-1.6e-4)); // one token's time: one token's decay
    expect(retentionInTime(1.6e-4, 5e9)).toBeCloseTo(Math.exp(-1), 12); // 5 ms = 6250 tokens; 6250 · 1.6e-4 = 1
    expect(retentionInTime(cellRate(1.6e-4, 2), 5e9)).toBeCloseTo(Math.exp(-2), 12); // twice the rate
    expect(retentionInTime(0, 1e12)).toBe(1);
  });

  it("cell gain and offset: γ·g + β; at 0.9 V, γ 1.1 and β 0.2 µA: 1.1·10.312988 + 0.2 = 11.5442868 µA", () => {
    expect(gCubic(0.45)).toBeCloseTo(10.312988, 6);
    expect(realisedCurrent(gCubic(0.45), 1.1, 0.2)).toBeCloseTo(11.5442868, 6);
    expect(realisedCurrent(-10.331541, 1, 0)).toBe(-10.331541); // γ 1, β 0: the ideal read itself
  });

  it("write noise and stuck cells: the level + noise clamped to [0, 0.9] V; a stuck cell keeps its voltage", () => {
    expect(storedVoltage(0.45, 0.01, NOT_STUCK)).toBeCloseTo(0.46, 15);
    expect(storedVoltage(0.9, 0.05, NOT_STUCK)).toBe(0.9);
    expect(storedVoltage(0, -0.02, NOT_STUCK)).toBe(0);
    expect(storedVoltage(0.9 / 7, 0, NOT_STUCK)).toBe(0.9 / 7);
    expect(storedVoltage(0, 0.3, 0.9)).toBe(0.9);
    expect(storedVoltage(0.9, 0, 0)).toBe(0);
  });

  it("PWM jitter: the pulse fraction + noise, clamped to [0, 1]", () => {
    expect(jitteredPulse(0.5, -0.1)).toBe(0.4);
    expect(jitteredPulse(0.95, 0.1)).toBe(1);
    expect(jitteredPulse(0, -0.05)).toBe(0);
    expect(jitteredPulse(14 / 15, 0)).toBe(14 / 15);
  });

  it("CPC offset: φ/T_max = clamp((S − S_off)/80, 0, 1): S 50, S_off 10 → 0.5; S_off 60 → 0; S 100, S_off −10 → 1", () => {
    expect(cpcFraction(50, 10, 80)).toBe(0.5);
    expect(cpcFraction(50, 60, 80)).toBe(0);
    expect(cpcFraction(100, -10, 80)).toBe(1);
    expect(cpcFraction(50, 0, 80)).toBe(50 / 80);
  });

  it("signed-CPC offset: (A − A_off)/40: A 20, A_off 4 → 0.4 = 6.2 steps of 2/31 → count 6 (ideal: 0.5 → 7.75 → 8)", () => {
    expect(signedCpcInput(20, 4, 40)).toBe(0.4);
    expect(outCode(signedCpcInput(20, 4, 40))).toBe(6);
    expect(outCode(signedCpcInput(20, 0, 40))).toBe(8);
  });
});

describe("variation parameters (docs/model.md §7 names and units)", () => {
  it("default to the ideal chip; a partial object fills the rest with 0", () => {
    expect(validateVariation({})).toEqual(IDEAL_VARIATION);
    expect(isIdealVariation(validateVariation({}))).toBe(true);
    const v = validateVariation({ sigmaGain: 0.05, pStuck: 1e-3 });
    expect(v.sigmaGain).toBe(0.05);
    expect(v.sigmaS).toBe(0);
    expect(isIdealVariation(v)).toBe(false);
  });

  it("allows notes: fields starting with _ that are strings", () => {
    expect(validateVariation({ _note: "assumption", _sigmaGain: "why", sigmaGain: 0.1 }).sigmaGain).toBe(0.1);
    expect(() => validateVariation({ _note: 3 })).toThrow(/variation\._note: a note .* must be a string, got 3/);
  });

  it("names the field, its unit and the file of a bad value", () => {
    expect(() => validateVariation({ sigmaOffset: -1 }, "chip.json")).toThrow(ConfigError);
    expect(() => validateVariation({ sigmaOffset: -1 }, "chip.json")).toThrow(/^variation\.sigmaOffset: -1 must be at least 0 µA \(in chip\.json\)$/);
    expect(() => validateVariation({ pStuck: 1.5 })).toThrow(/variation\.pStuck: 1\.5 is above 1/);
    expect(() => validateVariation({ sigmaWrite: "0.1" })).toThrow(/variation\.sigmaWrite: 0\.1 is not a finite number/);
    expect(() => validateVariation({ sigmaGian: 0.1 })).toThrow(/variation\.sigmaGian: is not a known field; known fields are sigmaGain, sigmaOffset/);
    expect(() => validateVariation([1])).toThrow(/variation: expected an object/);
  });

  it("seeds are whole numbers in 0..2^53 − 1", () => {
    expect(checkSeed(0, "seed")).toBe(0);
    expect(checkSeed(Number.MAX_SAFE_INTEGER, "seed")).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => checkSeed(-1, "--variation-seed")).toThrow(/--variation-seed: -1 is not a whole number/);
    expect(() => checkSeed(1.5, "seed")).toThrow(ConfigError);
  });
});
