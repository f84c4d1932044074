// The paper's constants, written out here from docs/model.md §1–§3, and every default that must read them.
import { describe, expect, it } from "vitest";
import * as K from "../src/laws/constants.js";
import { DEFAULT_CONFIG } from "../src/functional/api.js";
import { cyclesPerToken, DEFAULT_ACCELERATOR } from "../src/arch/config.js";
import { CPC_DEFAULTS, GAIN_CELL_ARRAY_DEFAULTS, PWM_DRIVER_DEFAULTS, SIGNED_CPC_DEFAULTS, WRITE_DRIVER_DEFAULTS } from "../src/analog/params.js";
import { KV_GRID, OUT_GRID, Q_GRID } from "../src/laws/quantise.js";

describe("the paper's constants, defined once", () => {
  it("are the spec's numbers", () => {
    expect([K.T_MAX_PS, K.S_SAT, K.LAMBDA_PER_TOKEN, K.VDD_V, K.ZERO_POINT_V]).toEqual([15_000, 80, 1.6e-4, 0.9, 0.45]);
    expect([K.WINDOW_M, K.TILE, K.HEAD_DIM, K.LEVELS_Q, K.LEVELS_KV, K.LEVELS_OUT, K.CLOCK_PERIOD_PS]).toEqual([1024, 64, 64, 16, 8, 32, 1000]);
    expect(Object.values(K.PHASE_CYCLES)).toEqual([2, 8, 2, 15, 2, 15, 16, 5]);
  });

  it("are what the functional model, the accelerator, the blocks and the quantiser's grids default to", () => {
    expect(DEFAULT_CONFIG).toMatchObject({ windowM: K.WINDOW_M, tile: K.TILE, D: K.HEAD_DIM, levelsQ: K.LEVELS_Q, levelsKv: K.LEVELS_KV,
      levelsOut: K.LEVELS_OUT, lambdaPerToken: K.LAMBDA_PER_TOKEN, sSat: K.S_SAT, tMaxPs: K.T_MAX_PS });
    expect(DEFAULT_ACCELERATOR).toMatchObject({ ...DEFAULT_CONFIG, clockPeriodPs: K.CLOCK_PERIOD_PS });
    expect(cyclesPerToken(DEFAULT_ACCELERATOR)).toBe(65);
    expect(WRITE_DRIVER_DEFAULTS).toEqual({ rows: K.HEAD_DIM, levelsKv: K.LEVELS_KV });
    expect(GAIN_CELL_ARRAY_DEFAULTS).toMatchObject({ rows: K.HEAD_DIM, cols: K.TILE, lambdaPerToken: K.LAMBDA_PER_TOKEN, tMaxPs: K.T_MAX_PS });
    expect(PWM_DRIVER_DEFAULTS).toEqual({ levelsQ: K.LEVELS_Q, tMaxPs: K.T_MAX_PS, amplitudeV: K.VDD_V });
    expect(CPC_DEFAULTS).toEqual({ sSat: K.S_SAT, tMaxPs: K.T_MAX_PS });
    expect(SIGNED_CPC_DEFAULTS).toEqual({ sSat: K.S_SAT, tMaxPs: K.T_MAX_PS, levelsOut: K.LEVELS_OUT, clockPeriodPs: K.CLOCK_PERIOD_PS });
    expect([Q_GRID.levels, KV_GRID.levels, KV_GRID.hi, OUT_GRID.levels]).toEqual([K.LEVELS_Q, K.LEVELS_KV, K.VDD_V, K.LEVELS_OUT]);
  });
});
