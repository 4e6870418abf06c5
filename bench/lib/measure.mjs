// Preloaded into a measured process with `node --import bench/lib/measure.mjs …`: when the process exits it writes
// its own CPU time (process.cpuUsage), peak RSS (getrusage ru_maxrss), uptime and the largest V8 heap it committed
// (v8.getHeapStatistics total_heap_size, sampled every 100 ms) to $BENCH_MEASURE_OUT. Plain JavaScript on purpose:
// a TypeScript loader in the measured process would add its own memory to the figures.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setInterval } from 'node:timers';
import process from 'node:process';
import { getHeapStatistics } from 'node:v8';

const out = process.env.BENCH_MEASURE_OUT;
if (out) {
  let peakHeapTotal = 0;
  const sample = () => {
    peakHeapTotal = Math.max(peakHeapTotal, getHeapStatistics().total_heap_size);
  };
  setInterval(sample, 100).unref();
  process.once('exit', (code) => {
    sample();
    const cpu = process.cpuUsage();
    const usage = process.resourceUsage();
    writeFileSync(
      out,
      JSON.stringify({
        exitCode: code,
        userCpuMs: cpu.user / 1000,
        systemCpuMs: cpu.system / 1000,
        maxRssKb: usage.maxRSS,
        uptimeMs: performance.now(),
        heapUsedAtExit: process.memoryUsage().heapUsed,
        peakHeapTotalKb: Math.round(peakHeapTotal / 1024),
      }),
    );
  });
}
