// VCD text output (IEEE 1364-2005 §18): one byte buffer flushed to the file by size, identifier
// codes and line suffixes built at declaration, values formatted without intermediate strings.
import type { OutputFile } from "./OutputFile.js";

const BUFFER_BYTES = 1 << 20;
const FIRST_CODE_CHAR = 33; // '!'
const CODE_RADIX = 94; // printable ASCII '!'..'~'
// Bytes a vector's digits may be written past their end (see `binary`): room ensured, never flushed.
const OVERSHOOT = 8;

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

  constructor(readonly out: OutputFile) {}

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

  /** Appends a scalar change `0c` / `1c`. */
  bit(v: number, code: Uint8Array): void {
    this.ensure(code.length + 2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = v === 0 ? 48 : 49;
    this.pos = line(b, p, code);
  }

  /** Appends a vector change `b<binary> c` for a value held in one number (≤ 32 bits). */
  vec(v: number, code: Uint8Array): void {
    this.ensure(code.length + 36 + OVERSHOOT);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 98; // 'b'
    p = binary(this.view, p, v);
    b[p++] = 32;
    this.pos = line(b, p, code);
  }

  /** Appends a vector change for a value held in little-endian 32-bit words. */
  wide(words: Uint32Array, off: number, n: number, code: Uint8Array): void {
    this.ensure(code.length + 32 * n + 4 + OVERSHOOT);
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
    b[p++] = 32;
    this.pos = line(b, p, code);
  }

  /** Appends a real change `r<value> c`, in the shortest text that reads back to the same double. */
  real(v: number, code: Uint8Array): void {
    const s = Object.is(v, -0) ? "0" : String(v);
    this.ensure(s.length + code.length + 3);
    this.buf[this.pos++] = 114; // 'r'
    let p = this.pos + this.buf.write(s, this.pos, "latin1");
    this.buf[p++] = 32;
    this.pos = line(this.buf, p, code);
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

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n <= this.buf.length) return;
    this.buf = Buffer.allocUnsafe(n);
    this.view = viewOf(this.buf);
  }
}

/** Writes identifier code and newline at `p`; returns the position after them. A byte loop: codes are 1–3 bytes, and Uint8Array.set costs more per call. */
function line(b: Uint8Array, p: number, code: Uint8Array): number {
  for (let i = 0; i < code.length; i++) b[p++] = code[i];
  b[p++] = 10;
  return p;
}

/** Writes integer `t` (0 ≤ t < 2^53) in decimal at `p`, as String(t) would, without making the string; returns the position after it. */
function decimal(b: Uint8Array, p: number, t: number): number {
  let digits = 1;
  for (let x = t; x >= 10; x = (x - (x % 10)) / 10) digits++;
  let q = p + digits;
  // x % 10 and the division of a multiple of 10 are exact for integers below 2^53
  for (let x = t; q > p; x = (x - (x % 10)) / 10) b[--q] = 48 + (x % 10);
  return p + digits;
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
