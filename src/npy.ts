// NumPy .npy files (format versions 1–3): float32/float64 little-endian C-order arrays in,
// float64 out. Errors name the file and say what was expected.
import { readFileSync, writeFileSync } from "node:fs";
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

/** Writes a float64 C-order .npy file (format 1.0). */
export function writeNpy(file: string, array: NdArray): void {
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(", ")})`;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shape}, }`;
  // the data must start on a 64-byte boundary; the header ends with a newline
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const out = Buffer.alloc(10 + header.length + 8 * array.data.length);
  out.write(MAGIC, 0, "latin1");
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, "latin1");
  Buffer.from(array.data.buffer, array.data.byteOffset, array.data.byteLength).copy(out, 10 + header.length);
  try {
    writeFileSync(file, out);
  } catch (e) {
    throw new FileFormatError(file, `cannot write: ${(e as Error).message}`);
  }
}
