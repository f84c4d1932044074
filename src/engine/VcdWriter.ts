// VCD text output (IEEE 1364-2005 §18): one byte buffer flushed to the file by size, identifier
// codes and line suffixes built at declaration, values formatted without intermediate strings.
import type { OutputFile } from "./OutputFile.js";

const BUFFER_BYTES = 1 << 20;
const FIRST_CODE_CHAR = 33; // '!'
const CODE_RADIX = 94; // printable ASCII '!'..'~'

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
    this.ensure(24);
    this.buf[this.pos++] = 35; // '#'
    this.decimal(t);
    this.buf[this.pos++] = 10;
  }

  /** Appends a scalar change `0c` / `1c`. */
  bit(v: number, code: Uint8Array): void {
    this.ensure(code.length + 2);
    const b = this.buf;
    b[this.pos++] = v === 0 ? 48 : 49;
    this.code(code);
  }

  /** Appends a vector change `b<binary> c` for a value held in one number (≤ 32 bits). */
  vec(v: number, code: Uint8Array): void {
    this.ensure(code.length + 36);
    const b = this.buf;
    b[this.pos++] = 98; // 'b'
    if (v === 0) b[this.pos++] = 48;
    else for (let bit = 31 - Math.clz32(v); bit >= 0; bit--) b[this.pos++] = 48 + ((v >>> bit) & 1);
    this.suffix(code);
  }

  /** Appends a vector change for a value held in little-endian 32-bit words. */
  wide(words: Uint32Array, off: number, n: number, code: Uint8Array): void {
    this.ensure(code.length + 32 * n + 4);
    const b = this.buf;
    b[this.pos++] = 98;
    let top = n - 1;
    while (top > 0 && words[off + top] === 0) top--;
    const w = words[off + top];
    if (w === 0) b[this.pos++] = 48;
    else for (let bit = 31 - Math.clz32(w); bit >= 0; bit--) b[this.pos++] = 48 + ((w >>> bit) & 1);
    for (let i = top - 1; i >= 0; i--) {
      const x = words[off + i];
      for (let bit = 31; bit >= 0; bit--) b[this.pos++] = 48 + ((x >>> bit) & 1);
    }
    this.suffix(code);
  }

  /** Appends a real change `r<value> c`, in the shortest text that reads back to the same double. */
  real(v: number, code: Uint8Array): void {
    const s = Object.is(v, -0) ? "0" : String(v);
    this.ensure(s.length + code.length + 3);
    this.buf[this.pos++] = 114; // 'r'
    this.pos += this.buf.write(s, this.pos, "latin1");
    this.suffix(code);
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

  private suffix(code: Uint8Array): void {
    this.buf[this.pos++] = 32;
    this.code(code);
  }

  /** Identifier code and newline; a byte loop, since codes are 1–3 bytes and Uint8Array.set costs more per call. */
  private code(code: Uint8Array): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < code.length; i++) b[p++] = code[i];
    b[p++] = 10;
    this.pos = p;
  }

  private decimal(t: number): void {
    const s = String(t);
    for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }
}
