// Counter-based random numbers for the non-idealities of docs/model.md §7: Philox-4x32-10 (Salmon,
// Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC 2011). A draw is a pure
// function of (seed, stream, head, token, index), so any evaluation order, any worker thread and
// both models get the same number for the same event, with no generator state to pass around.

import { PHILOX_M0 as M0, PHILOX_M1 as M1, PHILOX_ROUNDS as ROUNDS, PHILOX_W0 as W0, PHILOX_W1 as W1 } from "./philoxConstants.js";
import { philoxBlock, philoxWords } from "./philoxWasm.js";

/** 2^-53: a 53-bit integer times this is a double in [0, 1) with every bit significant. */
const TWO_POW_M53 = 2 ** -53;
const TWO_PI = 2 * Math.PI;

/**
 * High 32 bits of the 64-bit product of two uint32 values, from 16-bit halves (a double holds only
 * 53 bits of the product exactly). Checked against BigInt arithmetic (test/philox.test.ts).
 */
export function mulHi32(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const loHi = aLo * bHi;
  const hiLo = aHi * bLo;
  const carry = (((aLo * bLo) >>> 16) + (loHi & 0xffff) + (hiLo & 0xffff)) >>> 16;
  return (aHi * bHi + (loHi >>> 16) + (hiLo >>> 16) + carry) >>> 0;
}

/**
 * Philox-4x32-10 of counter (c0, c1, c2, c3) under key (k0, k1), all uint32; the four output
 * words go to `out`. Checked against Random123's known-answer vectors (test/philox.test.ts).
 */
export function philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  let x0 = c0 >>> 0, x1 = c1 >>> 0, x2 = c2 >>> 0, x3 = c3 >>> 0;
  let key0 = k0 >>> 0, key1 = k1 >>> 0;
  for (let round = 0; round < ROUNDS; round++) {
    if (round > 0) {
      key0 = (key0 + W0) >>> 0;
      key1 = (key1 + W1) >>> 0;
    }
    const hi0 = mulHi32(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulHi32(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ key0) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ key1) >>> 0;
    x3 = lo0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
}

// One module-level scratch for the four words: the functions below keep nothing between calls
// that could change a result (each worker thread has its own module instance), and nothing is
// allocated per draw.
const words = new Uint32Array(4);

const TWO_POW_32 = 0x1_0000_0000;

// The counter of one draw: (index, token, head, stream); the key: the seed's low and high words
// (a seed is a whole number below 2^53, checkSeed in variation.ts, so k1·2^32 and seed − k1·2^32
// are exact: the same words as seed mod 2^32, without the floating-point remainder, a library
// call in V8).
function draw(seed: number, stream: number, head: number, token: number, index: number): void {
  const k1 = keyHigh(seed);
  philox4x32(index, token, head, stream, seed - k1 * TWO_POW_32, k1, words);
}

// The key's high word k1 = ⌊seed/2^32⌋ (the low one is seed − k1·2^32, see above).
function keyHigh(seed: number): number {
  return Math.floor(seed / TWO_POW_32);
}

/** A double in [0, 1) from 53 random bits of the draw (seed, stream, head, token, index). */
export function uniformAt(seed: number, stream: number, head: number, token: number, index: number): number {
  draw(seed, stream, head, token, index);
  return ((words[0] >>> 5) * 0x400_0000 + (words[1] >>> 6)) * TWO_POW_M53;
}

// Box–Muller gives two normals per draw: indices 2i and 2i + 1 share the draw of counter i (the
// cosine and the sine). A draw fills a block of BLOCK_PAIRS consecutive pairs from the one asked
// for, their Philox words from the WebAssembly version in one call (philoxWasm.ts; the same words
// as philox4x32, checked in test/philox.test.ts), since every kind of noise draws its indices in
// order within a token (rows, slots: the models draw a stream's indices 0, 1, 2, … one after
// another), and the calls after it read the block. It is a memo of a pure function, so the order
// of calls changes nothing. The block's key is held in a typed array, [seed, stream, head, token,
// first pair], rather than in module-level variables, whose doubles V8 keeps boxed.
const BLOCK_PAIRS = 16;
const blockKey = new Float64Array([-1, -1, -1, -1, -1]);
const blockNormals = new Float64Array(2 * BLOCK_PAIRS);

/**
 * A standard normal N(0, 1) for the draw (seed, stream, head, token, index): Box–Muller on the two
 * 53-bit uniforms of counter ⌊index/2⌋, u1 in (0, 1] so that ln u1 is finite; the cosine for an
 * even index, the sine for an odd one. `index` is below 2^32.
 */
export function normalAt(seed: number, stream: number, head: number, token: number, index: number): number {
  const key = blockKey;
  const at = index - 2 * key[4];
  if (at >= 0 && at < 2 * BLOCK_PAIRS && token === key[3] && head === key[2] && stream === key[1] && seed === key[0]) return blockNormals[at];
  return drawBlock(seed, stream, head, token, index);
}

// The normals of the BLOCK_PAIRS pairs from index's into the block (index < 2^32, so the last
// pair's counter is below 2^31 + BLOCK_PAIRS); returns index's.
function drawBlock(seed: number, stream: number, head: number, token: number, index: number): number {
  const first = index >>> 1;
  const k1 = keyHigh(seed);
  philoxBlock(first, BLOCK_PAIRS, token, head, stream, seed - k1 * TWO_POW_32, k1);
  const w = philoxWords;
  const normals = blockNormals;
  for (let p = 0; p < BLOCK_PAIRS; p++) {
    const u1 = ((w[4 * p] >>> 5) * 0x400_0000 + (w[4 * p + 1] >>> 6) + 1) * TWO_POW_M53;
    const u2 = ((w[4 * p + 2] >>> 5) * 0x400_0000 + (w[4 * p + 3] >>> 6)) * TWO_POW_M53;
    const radius = Math.sqrt(-2 * Math.log(u1));
    const angle = TWO_PI * u2;
    normals[2 * p] = radius * Math.cos(angle);
    normals[2 * p + 1] = radius * Math.sin(angle);
  }
  const key = blockKey;
  key[0] = seed;
  key[1] = stream;
  key[2] = head;
  key[3] = token;
  key[4] = first;
  return normals[index - 2 * first];
}
