// Timing a benchmark case: the median wall time and the median CPU time (this process's user +
// system, every thread) of its runs after one warm-up. On a machine shared with other jobs the CPU
// time moves less than the wall time; both are printed.

/** Median seconds of the timed runs. */
export interface Timing {
  wallS: number;
  cpuS: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs `body` once to warm up (unless `warmUp` is false), then `iter` times; returns the median wall and CPU time. */
export async function timed(iter: number, body: () => Promise<void> | void, warmUp = true): Promise<Timing> {
  if (warmUp) await body();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < iter; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await body();
    wall.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { wallS: median(wall), cpuS: median(cpu) };
}
