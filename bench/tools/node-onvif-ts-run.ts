/**
 * node-onvif-ts as its README shows it: `startProbe()` (WS-Discovery by multicast from a wildcard socket, 3 s),
 * then, with --login, `new OnvifDevice({ xaddr: info.xaddrs[0], user, pass }).init()` for every device found.
 * It multicasts, so run it ONLY inside a network namespace (`ip netns exec`), never on the real interfaces.
 *
 *   ip netns exec <scanner-ns> node --import tsx bench/tools/node-onvif-ts-run.ts [--login]
 *
 * The password comes from $BENCH_PASSWORD. The library logs to the console, so the answer is the `RESULT {json}`
 * line. Each init() is bounded (the library's own HTTP timeout is 3 s per request).
 */
import * as onvif from 'node-onvif-ts';

async function bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  const login = process.argv.includes('--login');
  const password = process.env['BENCH_PASSWORD'] ?? '';
  const begin = performance.now();
  const found = await bounded(onvif.startProbe(), 20_000);
  const discoveryMs = performance.now() - begin;
  const devices: Array<{ xaddr: string; name: string; ok: boolean; error: string | null; ms: number }> = [];
  if (login) {
    // One device after another, as the README's example would be looped.
    for (const info of found) {
      const xaddr = info.xaddrs[0] ?? '';
      const start = performance.now();
      const device = new onvif.OnvifDevice({ xaddr, user: 'admin', pass: password });
      try {
        await bounded(device.init(), 30_000);
        devices.push({ xaddr, name: info.name, ok: true, error: null, ms: performance.now() - start });
      } catch (error) {
        devices.push({ xaddr, name: info.name, ok: false, error: (error as Error).message.slice(0, 200), ms: performance.now() - start });
      }
    }
  }
  const cpu = process.cpuUsage();
  process.stdout.write(`\nRESULT ${JSON.stringify({
    discoveryMs,
    // Includes the tsx loader this script runs under (~40 MB of the RSS).
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
    wallMs: performance.now() - begin,
    found: found.length,
    addresses: found.map((f) => { try { return new URL(f.xaddrs[0] ?? '').hostname; } catch { return ''; } }),
    devices,
  })}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`node-onvif-ts-run: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
