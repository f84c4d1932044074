// pwm64 as a plain TypeScript loop over typed arrays, no engine: the in-process baseline the
// benchmark's engine figures are divided by, and an independent check of their checksums.

const CHANNELS = 64;
const LFSR_SEED = 0xace12024; // pwm64.v: reg [31:0] lfsr = 32'hACE1_2024

/** Runs `cycles` rising edges of pwm64.v and returns what it prints as the checksum. */
export function plainPwm64(cycles: number): number {
  const count = new Uint8Array(CHANNELS);
  const acc = new Uint16Array(CHANNELS); // 16-bit, wraps like reg [15:0]
  const codes = new Uint8Array(CHANNELS);
  let phase = 0;
  let lfsr = LFSR_SEED;
  for (let cycle = 1; ; cycle++) {
    // the Verilog sums the accumulators at the last edge, before that edge's non-blocking writes land
    if (cycle === cycles) {
      let sum = 0;
      for (let i = 0; i < CHANNELS; i++) sum += acc[i];
      return sum >>> 0;
    }
    const load = phase === 0;
    for (let i = 0; i < CHANNELS; i++) {
      const c = count[i];
      if (load) count[i] = codes[i]; // the codes of before this edge (non-blocking)
      else if (c !== 0) count[i] = c - 1;
      if (c !== 0) acc[i]++;
    }
    if (phase === 15) {
      for (let k = 0; k < 8; k++) {
        const fb = ((lfsr >>> 31) ^ (lfsr >>> 21) ^ (lfsr >>> 1) ^ lfsr) & 1;
        lfsr = ((lfsr << 1) | fb) >>> 0;
        for (let j = 0; j < 8; j++) codes[8 * k + j] = (lfsr >>> (4 * j)) & 15;
      }
    }
    phase = (phase + 1) & 15;
  }
}
