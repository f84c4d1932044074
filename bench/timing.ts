// Timing a benchmark case: the median wall time and the median CPU time (this process's user +
// system, every thread) of its runs after warm-ups; a target's case and its baseline in turn. On a
// machine shared with other jobs the CPU time moves less than the wall time; both are printed.

/** Median seconds of the timed runs. */
export interface Timing {
  wallS: number;
  cpuS: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Runs each body `warmUps` times, then all of them in turn `iter` times, and returns each one's
 * median: a case and its baseline timed in the same stretch of the machine's load, so their ratio
 * does not depend on which of them ran in a slow minute (run 14: a reference timed alone ran 50 %
 * slow in one sitting and made a missed target look met).
 */
export async function timedInTurn(iter: number, warmUps: number, ...bodies: (() => Promise<void> | void)[]): Promise<Timing[]> {
  for (let i = 0; i < warmUps; i++) for (const body of bodies) await body();
  const samples = bodies.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let i = 0; i < iter; i++) {
    for (let b = 0; b < bodies.length; b++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await bodies[b]();
      samples[b].wall.push((performance.now() - t0) / 1000);
      const c = process.cpuUsage(c0);
      samples[b].cpu.push((c.user + c.system) / 1e6);
    }
  }
  return samples.map((s) => ({ wallS: median(s.wall), cpuS: median(s.cpu) }));
}

/** Runs `body` once to warm up (unless `warmUp` is false), then `iter` times; returns the median wall and CPU time. */
export async function timed(iter: number, body: () => Promise<void> | void, warmUp = true): Promise<Timing> {
  return (await timedInTurn(iter, warmUp ? 1 : 0, body))[0];
}
