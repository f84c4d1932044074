// The .npy reader and writer against the format (NumPy's format.py, versions 1.0–3.0): header
// layout and padding, float32/float64, and errors that name the file.
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readNpy, writeNpy } from "../src/npy.js";
import { FileFormatError } from "../src/errors.js";

const dir = mkdtempSync(join(tmpdir(), "npy-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => join(dir, `a${n++}.npy`);

/** A .npy file written by hand: magic, version, header length (2 bytes for v1, 4 for v2/v3), header, data. */
function handMade(major: number, header: string, data: Buffer, pad = true): string {
  const lenBytes = major === 1 ? 2 : 4;
  const unpadded = 6 + 2 + lenBytes + header.length + 1;
  const text = header + (pad ? " ".repeat((64 - (unpadded % 64)) % 64) : "") + "\n";
  const head = Buffer.alloc(8 + lenBytes);
  head.write("\x93NUMPY", 0, "latin1");
  head[6] = major;
  head[7] = 0;
  if (lenBytes === 2) head.writeUInt16LE(text.length, 8);
  else head.writeUInt32LE(text.length, 8);
  const path = file();
  writeFileSync(path, Buffer.concat([head, Buffer.from(text, major === 3 ? "utf8" : "latin1"), data]));
  return path;
}

function f64(values: number[]): Buffer {
  return Buffer.from(Float64Array.from(values).buffer);
}

function f32(values: number[]): Buffer {
  return Buffer.from(Float32Array.from(values).buffer);
}

describe("writeNpy", () => {
  it("writes format 1.0 with a header padded with spaces to a 64-byte boundary and ended by a newline", () => {
    for (const shape of [[3], [2, 5], [1100, 12, 64], [0, 4], []]) {
      const path = file();
      const count = shape.reduce((a, b) => a * b, 1);
      writeNpy(path, { shape, data: new Float64Array(count).map((_, i) => i) });
      const buf = readFileSync(path);
      expect(buf.toString("latin1", 0, 6)).toBe("\x93NUMPY");
      expect([buf[6], buf[7]]).toEqual([1, 0]);
      const headerLen = buf.readUInt16LE(8);
      expect((10 + headerLen) % 64, `shape (${shape})`).toBe(0);
      const header = buf.toString("latin1", 10, 10 + headerLen);
      expect(header.endsWith("\n")).toBe(true);
      const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
      expect(header.trimEnd()).toBe(`{'descr': '<f8', 'fortran_order': False, 'shape': ${tuple}, }`);
      expect(buf.length).toBe(10 + headerLen + 8 * count);
    }
  });

  it("round-trips any shape and any float64, -0, ±Inf and NaN included, bit for bit", () => {
    const arb = fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }).chain((shape) =>
      fc.tuple(fc.constant(shape), fc.array(fc.double(), { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) })),
    );
    fc.assert(
      fc.property(arb, ([shape, values]) => {
        const path = file();
        writeNpy(path, { shape, data: Float64Array.from(values) });
        const back = readNpy(path);
        expect(back.shape).toEqual(shape);
        expect(Buffer.from(back.data.buffer)).toEqual(f64(values));
      }),
      { seed: 5, numRuns: 100 },
    );
  });

  it("names the file when it cannot write", () => {
    const path = join(dir, "no-such-dir", "a.npy");
    expect(() => writeNpy(path, { shape: [1], data: new Float64Array(1) })).toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: cannot write`));
  });
});

describe("readNpy", () => {
  it("reads format 1.0, 2.0 (4-byte header length) and 3.0 (utf-8 header) files", () => {
    const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
    const values = [0.5, -1, 2.25, 1e-300, 3, 0.9];
    for (const major of [1, 2, 3]) {
      const a = readNpy(handMade(major, header, f64(values)));
      expect(a.shape, `v${major}`).toEqual([2, 3]);
      expect(Array.from(a.data)).toEqual(values);
    }
  });

  it("reads float32 as the nearest float64 of each float32, and headers written in any key order or padding", () => {
    const values = [0.1, 0.45, 0.9, -0];
    const a = readNpy(handMade(1, "{'shape': (4,), 'fortran_order': False, 'descr': '<f4'}", f32(values), false));
    expect(a.shape).toEqual([4]);
    expect(Array.from(a.data)).toEqual(Array.from(Float32Array.from(values)));
    const b = readNpy(handMade(1, "{'descr': '=f8', 'fortran_order': False, 'shape': (), }", f64([7])));
    expect(b.shape).toEqual([]);
    expect(Array.from(b.data)).toEqual([7]);
  });

  const bad: [string, () => string, RegExp][] = [
    ["a missing file", () => join(dir, "missing.npy"), /missing\.npy: cannot read: ENOENT/],
    ["not an .npy file", () => { const p = file(); writeFileSync(p, "hello, world"); return p; }, /not a NumPy \.npy file/],
    ["format version 4", () => handMade(4, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", f64([1])), /format version 4 is not supported/],
    ["an int dtype", () => handMade(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", f64([1])), /dtype <i8 is not supported: expected float32 or float64/],
    ["big-endian floats", () => handMade(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", f64([1])), /dtype >f8 is not supported/],
    ["Fortran order", () => handMade(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", f64([1, 2, 3, 4])), /Fortran order; save it in C order/],
    ["too few data bytes", () => handMade(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", f64([1, 2])), /holds 16 data bytes; shape \(3\) of <f8 needs 24/],
    ["a header without a shape", () => handMade(1, "{'descr': '<f8', 'fortran_order': False}", f64([1])), /unreadable \.npy header/],
  ];
  it.each(bad)("rejects %s with a FileFormatError naming the file", (_, make, message) => {
    const path = make();
    let error: unknown;
    try {
      readNpy(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FileFormatError);
    expect((error as FileFormatError).message.startsWith(`${path}: `)).toBe(true);
    expect((error as FileFormatError).message).toMatch(message);
    expect((error as FileFormatError).message).not.toContain("\n");
  });
});
