/** `oneknock demo`: start the built-in simulated fleet on loopback, then scan it (the simulator is loaded only here). */
import { writeErr } from './write.js';
import { OneknockError, UsageError } from '../model/errors.js';
import { scanOptionsFrom, type ScanFlags } from './options.js';
import { interactive, runWithLogin, wantsInteractive } from './scan-command.js';

/** How many loopback /24s the demo tries before giving up (each a whole fleet). */
const DEMO_BLOCKS = 16;

export async function demoCommand(flags: ScanFlags): Promise<number> {
  // The demo never touches the machine's real interfaces: loopback fleet, unicast only.
  if (flags.interface.length > 0) throw new UsageError('demo scans only its loopback fleet: --interface is not accepted');
  if (flags.target.length > 0) throw new UsageError('demo scans only its own simulated fleet: --target is not accepted (use `oneknock scan --target …`)');
  const { startFleet } = await import('../simulator/fleet.js');
  // Another demo or `simulate` may hold 127.77.0.x: take the next free /24 of 127.77.0.0/16 (loopback only).
  let fleet: Awaited<ReturnType<typeof startFleet>> | null = null;
  let lastError: Error | null = null;
  for (let block = 0; block < DEMO_BLOCKS && !fleet; block++) {
    try {
      fleet = await startFleet({ subnet: `127.77.${block}` });
    } catch (error) {
      lastError = error as Error;
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') break;
    }
  }
  if (!fleet) throw new OneknockError('E_FLEET', `cannot start the simulated fleet on 127.77.x.x: ${lastError?.message ?? 'unknown error'}`);
  try {
    const options = scanOptionsFrom({ ...flags, multicast: false }, fleet.addresses);
    if (wantsInteractive(flags)) return await interactive(options, flags);
    if (!flags.json && !flags.ndjson) writeErr(`Simulated fleet: ${fleet.devices.length} devices on ${fleet.addresses[0]}–${fleet.addresses.at(-1)} (loopback only)\n`);
    return await runWithLogin(options, flags);
  } finally {
    await fleet.stop();
  }
}
