// Philox-4x32-10 of docs/model.md §7 in WebAssembly, for blocks of consecutive counters: a 64-bit
// multiply gives each 32×32 → 64-bit product at once, where JavaScript builds it from 16-bit halves
// (measured 17–21 ns a counter against 40–55 in JavaScript). The module is assembled here, at load,
// from the instructions below, so there is no binary to keep in step with a source. philox.ts holds
// the JavaScript reference, which test/philox.test.ts checks this against.

import { PHILOX_M0 as M0, PHILOX_M1 as M1, PHILOX_ROUNDS as ROUNDS, PHILOX_W0 as W0, PHILOX_W1 as W1 } from "./philoxConstants.js";

/** Counters a block holds at most: the words of counter p at philoxWords[4p … 4p + 3]. */
export const PHILOX_BLOCK = 64;

// WebAssembly's encodings (the core specification, binary format): LEB128 integers, vectors,
// sections, and the opcodes used.
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n === 0 ? b : b | 0x80);
  } while (n !== 0);
  return out;
};
const sleb = (value: number): number[] => {
  let v = BigInt(value);
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
const name = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)])); // ASCII names
const I32 = 0x7f;
const I64 = 0x7e;
const op = {
  block: [0x02, 0x40], loop: [0x03, 0x40], end: [0x0b], br: (depth: number) => [0x0c, depth], brIf: (depth: number) => [0x0d, depth],
  get: (i: number) => [0x20, i], set: (i: number) => [0x21, i],
  i32: (v: number) => [0x41, ...sleb(v | 0)], i64: (v: number) => [0x42, ...sleb(v)],
  i32Store: (offset: number) => [0x36, 2, ...uleb(offset)],
  i32GeU: [0x4f], i32Add: [0x6a], i32Shl: [0x74], i32Xor: [0x73], i32Wrap: [0xa7],
  i64ExtendU: [0xad], i64Mul: [0x7e], i64ShrU: [0x88],
};

// block(first, n, c1, c2, c3, k0, k1): for p = 0 … n − 1, Philox-4x32-10 of counter
// (first + p, c1, c2, c3) under key (k0, k1), its words x0 … x3 stored at byte 16p.
function assemble(): Uint8Array<ArrayBuffer> {
  const [first, n, c1, c2, c3, k0, k1] = [0, 1, 2, 3, 4, 5, 6];
  const [x0, x1, x2, x3, key0, key1, p] = [7, 8, 9, 10, 11, 12, 13];
  const [prod0, prod1] = [14, 15];
  const code: number[][] = [op.i32(0), op.set(p), op.block, op.loop, op.get(p), op.get(n), op.i32GeU, op.brIf(1)];
  code.push(op.get(first), op.get(p), op.i32Add, op.set(x0), op.get(c1), op.set(x1), op.get(c2), op.set(x2), op.get(c3), op.set(x3));
  code.push(op.get(k0), op.set(key0), op.get(k1), op.set(key1));
  for (let round = 0; round < ROUNDS; round++) {
    if (round > 0) code.push(op.get(key0), op.i32(W0), op.i32Add, op.set(key0), op.get(key1), op.i32(W1), op.i32Add, op.set(key1));
    code.push(op.get(x0), op.i64ExtendU, op.i64(M0), op.i64Mul, op.set(prod0));
    code.push(op.get(x2), op.i64ExtendU, op.i64(M1), op.i64Mul, op.set(prod1));
    // x0 = hi(M1·x2) ^ x1 ^ key0, x1 = lo(M1·x2), x2 = hi(M0·x0) ^ x3 ^ key1, x3 = lo(M0·x0)
    code.push(op.get(prod1), op.i64(32), op.i64ShrU, op.i32Wrap, op.get(x1), op.i32Xor, op.get(key0), op.i32Xor, op.set(x0));
    code.push(op.get(prod1), op.i32Wrap, op.set(x1));
    code.push(op.get(prod0), op.i64(32), op.i64ShrU, op.i32Wrap, op.get(x3), op.i32Xor, op.get(key1), op.i32Xor, op.set(x2));
    code.push(op.get(prod0), op.i32Wrap, op.set(x3));
  }
  [x0, x1, x2, x3].forEach((x, w) => code.push(op.get(p), op.i32(4), op.i32Shl, op.get(x), op.i32Store(4 * w)));
  code.push(op.get(p), op.i32(1), op.i32Add, op.set(p), op.br(0), op.end, op.end, op.end);
  const body = [...vec([[7, I32], [2, I64]]), ...code.flat()];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec([I32, I32, I32, I32, I32, I32, I32].map((t) => [t])), 0]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0, 1]])), // one page of memory, 64 KiB
    ...section(7, vec([[...name("block"), 0, 0], [...name("memory"), 2, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

/** The module's bytes (test/philox.test.ts validates them). */
export const PHILOX_WASM: Uint8Array<ArrayBuffer> = assemble();

const instance = new WebAssembly.Instance(new WebAssembly.Module(PHILOX_WASM), {});
const exports = instance.exports as { block: (first: number, n: number, c1: number, c2: number, c3: number, k0: number, k1: number) => void; memory: WebAssembly.Memory };

/**
 * Philox-4x32-10 of the counters (first + p, c1, c2, c3), p = 0 … n − 1 (n ≤ PHILOX_BLOCK, first + p
 * below 2^32), under key (k0, k1), all uint32, into philoxWords.
 */
export const philoxBlock: (first: number, n: number, c1: number, c2: number, c3: number, k0: number, k1: number) => void = exports.block;

/** The words of the last philoxBlock: counter p's at 4p … 4p + 3 (the memory never grows, so this view stays valid). */
export const philoxWords = new Uint32Array(exports.memory.buffer, 0, 4 * PHILOX_BLOCK);
