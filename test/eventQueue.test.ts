// The timed wake-up queue against a plain sorted list: whatever the delays (same time, within the
// wheel, across its horizon, far beyond it), each time comes out whole, earliest first, in
// ascending process id.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../src/engine/EventQueue.js";

// fast-check prints the seed of a failing run; set FC_SEED to replay or vary it.
const seed = Number(process.env.FC_SEED ?? 90_210);
const WHEEL_PS = 1 << 16;

// delays that hit the same slot, nearby slots, the wheel's edge and the far heap
const delay = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 40 }),
  fc.constantFrom(500, 1000, 15_000),
  fc.integer({ min: WHEEL_PS - 3, max: WHEEL_PS + 3 }),
  fc.integer({ min: 0, max: 5 * WHEEL_PS }),
  fc.constant(2 ** 40),
);
// a batch of wake-ups scheduled at the current time, then one time taken
const batch = fc.array(fc.record({ delay, proc: fc.integer({ min: 0, max: 50 }) }), { maxLength: 30 });

describe("EventQueue", () => {
  it("hands out the earliest time's wake-ups in ascending id, like a sorted list", () => {
    fc.assert(
      fc.property(fc.array(batch, { minLength: 1, maxLength: 40 }), (batches) => {
        const q = new EventQueue();
        const plain: [number, number][] = [];
        let now = 0;
        for (const b of batches) {
          for (const { delay: dt, proc } of b) {
            q.push(now + dt, proc);
            plain.push([now + dt, proc]);
          }
          expect(q.size).toBe(plain.length);
          if (plain.length === 0) {
            expect(q.peekTime()).toBe(Infinity);
            continue;
          }
          const t = Math.min(...plain.map(([time]) => time));
          expect(q.peekTime()).toBe(t);
          const expected = plain.filter(([time]) => time === t).map(([, p]) => p).sort((a, b) => a - b);
          const n = q.takeDue(t);
          expect([...q.due.subarray(0, n)]).toEqual(expected);
          plain.splice(0, plain.length, ...plain.filter(([time]) => time !== t));
          now = t;
        }
      }),
      { seed, numRuns: 300 },
    );
  });

  it("pop() hands out the same order one wake-up at a time", () => {
    const q = new EventQueue();
    const pushes: [number, number][] = [[5, 3], [5, 1], [70_000, 2], [5, 2], [1, 9], [70_000, 0], [5, 1]];
    for (const [t, p] of pushes) q.push(t, p);
    const out: [number, number][] = [];
    while (q.size > 0) {
      const t = q.peekTime();
      out.push([t, q.pop()]);
    }
    expect(out).toEqual([[1, 9], [5, 1], [5, 1], [5, 2], [5, 3], [70_000, 0], [70_000, 2]]);
    expect(q.peekTime()).toBe(Infinity);
  });
});
