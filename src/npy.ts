// NumPy .npy files (format versions 1–3): float32/float64 little-endian C-order arrays in,
// float64 out (written whole or not at all, streamed from the array). Errors name the file and
// say what was expected.
import { readFileSync } from "node:fs";
import { endianness } from "node:os";
import { OutputFile } from "./engine/OutputFile.js";
import { FileFormatError } from "./errors.js";

/** A dense array: shape and row-major float64 data. */
export interface NdArray {
  shape: number[];
  data: Float64Array;
}

const MAGIC = "\x93NUMPY";

/** Reads a float32 or float64 C-order .npy file; anything else is a FileFormatError naming the file. */
export function readNpy(file: string): NdArray {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new FileFormatError(file, `cannot read: ${(e as Error).message}`);
  }
  if (buf.length < 10 || buf.toString("latin1", 0, 6) !== MAGIC) {
    throw new FileFormatError(file, "not a NumPy .npy file (the magic string \\x93NUMPY is missing)");
  }
  const major = buf[6];
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = buf.readUInt16LE(8);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLen = buf.readUInt32LE(8);
    start = 12;
  } else throw new FileFormatError(file, `.npy format version ${major} is not supported (1, 2 or 3)`);
  const header = buf.toString(major === 3 ? "utf8" : "latin1", start, start + headerLen);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new FileFormatError(file, `unreadable .npy header: ${header.trim()}`);
  }
  if (fortran === "True") throw new FileFormatError(file, "array is in Fortran order; save it in C order (np.ascontiguousarray)");
  const shape = shapeText.split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) throw new FileFormatError(file, `bad shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  const itemSize = descr === "<f8" || descr === "=f8" ? 8 : descr === "<f4" || descr === "=f4" ? 4 : 0;
  if (itemSize === 0) {
    throw new FileFormatError(file, `dtype ${descr} is not supported: expected float32 or float64 little-endian (<f4, <f8)`);
  }
  if (buf.length - dataStart < count * itemSize) {
    throw new FileFormatError(file, `holds ${buf.length - dataStart} data bytes; shape (${shape.join(", ")}) of ${descr} needs ${count * itemSize}`);
  }
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    data[i] = itemSize === 8 ? buf.readDoubleLE(dataStart + 8 * i) : buf.readFloatLE(dataStart + 4 * i);
  }
  return { shape, data };
}

// Bytes per write: the data goes out in slices of the array itself, never copied whole.
const WRITE_SLICE_BYTES = 1 << 24;

/** Writes a float64 C-order .npy file (format 1.0) whole or not at all. */
export function writeNpy(file: string, array: NdArray): void {
  const out = OutputFile.open(file);
  try {
    writeNpyTo(out, array);
    out.commit();
  } finally {
    out.abort();
  }
}

/** Writes the .npy bytes of `array` into `out` (its owner commits it). */
export function writeNpyTo(out: OutputFile, array: NdArray): void {
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(", ")})`;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shape}, }`;
  // the data must start on a 64-byte boundary; the header ends with a newline
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const head = Buffer.alloc(10 + header.length);
  head.write(MAGIC, 0, "latin1");
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  head.write(header, 10, "latin1");
  out.write(head);
  // '<f8' is little-endian, as a Float64Array's bytes are on every platform Node runs on here
  if (endianness() !== "LE") throw new Error("writeNpy: a big-endian host would need the bytes swapped");
  const bytes = new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  for (let from = 0; from < bytes.length; from += WRITE_SLICE_BYTES) {
    out.write(bytes, from, Math.min(WRITE_SLICE_BYTES, bytes.length - from));
  }
  out.finish();
}
