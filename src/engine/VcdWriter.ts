// VCD text output (IEEE 1364-2005 §18): one byte buffer flushed to the file by size, identifier
// codes and line suffixes built at declaration, values formatted without intermediate strings.
import type { OutputFile } from "./OutputFile.js";

const BUFFER_BYTES = 1 << 20;
const FIRST_CODE_CHAR = 33; // '!'
const CODE_RADIX = 94; // printable ASCII '!'..'~'
// Bytes a vector's digits may be written past their end (see `binary`): room ensured, never flushed.
const OVERSHOOT = 8;
// Bytes stored for a line's tail (see VcdWriter.tail): a code of up to 6 characters (94^6 variables).
const TAIL_BYTES = 8;

// The binary digits of each byte value as eight ASCII characters, held as two little-endian 32-bit
// words: a vector is written eight digits (two stores) at a time rather than digit by digit. TOP_*:
// the same without leading zeros ("0" for 0), for a value's most significant byte.
const DIGITS = new Uint32Array(512);
const TOP_DIGITS = new Uint32Array(512);
const TOP_LENGTH = new Uint8Array(256);
for (let x = 0; x < 256; x++) {
  const full = x.toString(2).padStart(8, "0");
  const top = x.toString(2);
  for (const [table, text] of [[DIGITS, full], [TOP_DIGITS, top.padEnd(8, " ")]] as const) {
    table[2 * x] = asciiWord(text.slice(0, 4));
    table[2 * x + 1] = asciiWord(text.slice(4, 8));
  }
  TOP_LENGTH[x] = top.length;
}

// Four ASCII characters as the little-endian 32-bit word that stores them in order.
function asciiWord(four: string): number {
  let w = 0;
  for (let i = 3; i >= 0; i--) w = (w << 8) | four.charCodeAt(i);
  return w >>> 0;
}

/** Compact identifier code for the n-th variable: base 94 over printable ASCII, shortest first. */
export function vcdCode(n: number): string {
  let s = "";
  do {
    s += String.fromCharCode(FIRST_CODE_CHAR + (n % CODE_RADIX));
    n = Math.floor(n / CODE_RADIX);
  } while (n > 0);
  return s;
}

/**
 * Streams VCD text to an output file through one buffer, flushed by size. Text of any length goes
 * through in buffer-sized pieces; the buffer grows only for a single value longer than it (a
 * vector of over a million bits). After a write error the file is gone (see
 * OutputFile) and the writer ignores everything sent to it, so that closing after the error
 * raises nothing new.
 */
export class VcdWriter {
  private buf = Buffer.allocUnsafe(BUFFER_BYTES);
  private view = viewOf(this.buf);
  private pos = 0;
  private closed = false;
  private failed = false;

  // Per variable, its line's tail (space, identifier code, newline) as two little-endian 32-bit
  // words of ASCII, and its length: written with two stores, whatever the code's length.
  private readonly tails: Uint32Array;
  private readonly tailLength: Uint8Array;

  /** Writes to `out`; `codes[id]` is variable `id`'s identifier code (null: none), at most 6 characters. */
  constructor(readonly out: OutputFile, codes: readonly (string | null)[]) {
    this.tails = new Uint32Array(2 * codes.length);
    this.tailLength = new Uint8Array(codes.length);
    codes.forEach((code, id) => {
      if (code === null) return;
      if (code.length > TAIL_BYTES - 2) throw new RangeError(`VCD identifier code "${code}": longer than ${TAIL_BYTES - 2} characters`);
      const tail = ` ${code}\n`.padEnd(TAIL_BYTES, " ");
      this.tails[2 * id] = asciiWord(tail.slice(0, 4));
      this.tails[2 * id + 1] = asciiWord(tail.slice(4, 8));
      this.tailLength[id] = code.length + 2;
    });
  }

  /** Bytes written to the file so far. */
  get written(): number {
    return this.out.written;
  }

  /** Appends ASCII text of any length. */
  text(s: string): void {
    for (let from = 0; from < s.length; from += BUFFER_BYTES) {
      const part = from === 0 && s.length <= BUFFER_BYTES ? s : s.slice(from, from + BUFFER_BYTES);
      this.ensure(part.length);
      this.pos += this.buf.write(part, this.pos, "latin1");
    }
  }

  /** Appends `#t` and a newline. */
  time(t: number): void {
    // a window's edge given as no whole number of ps is written as given (not a time a run reaches)
    if (!Number.isSafeInteger(t) || t < 0) return this.text(`#${t}\n`);
    this.ensure(24);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 35; // '#'
    p = decimal(b, p, t);
    b[p++] = 10;
    this.pos = p;
  }

  /** Appends a scalar change `0c` / `1c` of variable `id`. */
  bit(v: number, id: number): void {
    this.ensure(TAIL_BYTES);
    const p = this.pos;
    // the tail's space is where the digit goes
    this.pos = this.tail(p, id);
    this.buf[p] = v === 0 ? 48 : 49;
  }

  /** Appends a vector change `b<binary> c` for a value held in one number (≤ 32 bits). */
  vec(v: number, id: number): void {
    this.ensure(33 + OVERSHOOT + TAIL_BYTES);
    const p = this.pos;
    this.buf[p] = 98; // 'b'
    this.pos = this.tail(binary(this.view, p + 1, v), id);
  }

  /** Appends a vector change for a value held in little-endian 32-bit words. */
  wide(words: Uint32Array, off: number, n: number, id: number): void {
    this.ensure(32 * n + 1 + OVERSHOOT + TAIL_BYTES);
    const b = this.buf;
    const view = this.view;
    let p = this.pos;
    b[p++] = 98;
    let top = n - 1;
    while (top > 0 && words[off + top] === 0) top--;
    p = binary(view, p, words[off + top]);
    for (let i = top - 1; i >= 0; i--) {
      const x = words[off + i];
      for (let shift = 24; shift >= 0; shift -= 8) p = byteDigits(view, p, (x >>> shift) & 255);
    }
    this.pos = this.tail(p, id);
  }

  /** Appends a real change `r<value> c`, in the shortest text that reads back to the same double. */
  real(v: number, id: number): void {
    const s = Object.is(v, -0) ? "0" : String(v);
    this.ensure(s.length + 1 + TAIL_BYTES);
    const p = this.pos;
    this.buf[p] = 114; // 'r'
    this.pos = this.tail(p + 1 + this.buf.write(s, p + 1, "latin1"), id);
  }

  /** Writes the buffer to the file. */
  flush(): void {
    if (this.pos === 0 || this.closed || this.failed) {
      this.pos = 0;
      return;
    }
    const n = this.pos;
    this.pos = 0;
    try {
      this.out.write(this.buf, 0, n);
    } catch (e) {
      this.failed = true;
      throw e;
    }
  }

  /** Flushes and closes the file (the owner of the OutputFile renames it into place); safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (!this.failed) this.out.finish();
  }

  /** Writes variable `id`'s tail at `p`; returns the position after it. */
  private tail(p: number, id: number): number {
    this.view.setUint32(p, this.tails[2 * id], true);
    this.view.setUint32(p + 4, this.tails[2 * id + 1], true);
    return p + this.tailLength[id];
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n <= this.buf.length) return;
    this.buf = Buffer.allocUnsafe(n);
    this.view = viewOf(this.buf);
  }
}

/** Writes integer `t` (0 ≤ t < 2^53) in decimal at `p`, as String(t) would, without making the string; returns the position after it. */
function decimal(b: Uint8Array, p: number, t: number): number {
  // the digits above the lowest nine, exactly (x % 10 and a multiple of 10 ÷ 10 are exact below 2^53),
  // then the lowest nine (or fewer) in 32-bit integer arithmetic: a double's % is a slow call
  const high = t >= 1e9 ? (t - (t % 1e9)) / 1e9 : 0;
  let q = p;
  if (high > 0) q = decimal(b, p, high);
  let low = high > 0 ? t - high * 1e9 : t;
  let digits = high > 0 ? 9 : 1;
  if (high === 0) for (let x = low; x >= 10; x = (x / 10) | 0) digits++;
  const end = q + digits;
  for (let k = end - 1; k >= q; k--) {
    const next = (low / 10) | 0;
    b[k] = 48 + low - 10 * next;
    low = next;
  }
  return end;
}

function viewOf(b: Buffer): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Writes 32-bit value `v` in binary without leading zeros ("0" for 0) at `p`, a byte of digits at a
 * time; returns the position after it. The first byte's eight stored characters may run up to
 * OVERSHOOT bytes past that position: they are overwritten by what follows, or never flushed.
 */
function binary(view: DataView, p: number, v: number): number {
  let shift = 8 * (((39 - Math.clz32(v)) >> 3 || 1) - 1);
  const top = (v >>> shift) & 255;
  view.setUint32(p, TOP_DIGITS[2 * top], true);
  view.setUint32(p + 4, TOP_DIGITS[2 * top + 1], true);
  p += TOP_LENGTH[top];
  for (shift -= 8; shift >= 0; shift -= 8) p = byteDigits(view, p, (v >>> shift) & 255);
  return p;
}

/** Writes the eight binary digits of byte `x` at `p`; returns the position after them. */
function byteDigits(view: DataView, p: number, x: number): number {
  view.setUint32(p, DIGITS[2 * x], true);
  view.setUint32(p + 4, DIGITS[2 * x + 1], true);
  return p + 8;
}
