/** Start the responders for the discovery channels a profile lists (sadp, dhip, ssdp, mdns), as one unit to close. */
import { startDhipResponder } from './dhip-responder.js';
import { startMdnsResponder } from './mdns-responder.js';
import { startSadpResponder } from './sadp-responder.js';
import { startSsdpResponder } from './ssdp-responder.js';
import type { Responder, ResponderOptions } from './types.js';

export interface DiscoveryRespondersOptions extends ResponderOptions {
  /** The profile's channel list; names other than sadp, dhip, ssdp and mdns are left to their owners. */
  channels: readonly string[];
}

const STARTERS: ReadonlyArray<[string, (options: ResponderOptions) => Promise<Responder>]> = [
  ['sadp', startSadpResponder],
  ['dhip', startDhipResponder],
  ['ssdp', startSsdpResponder],
  // Opens nothing without `multicast`: mDNS is multicast only (RFC 6762 §5).
  ['mdns', startMdnsResponder],
];

export async function startDiscoveryResponders(options: DiscoveryRespondersOptions): Promise<Responder> {
  const started: Responder[] = [];
  const closeAll = async (): Promise<void> => {
    await Promise.all(started.splice(0).map((responder) => responder.close()));
  };
  try {
    for (const [channel, start] of STARTERS) {
      if (options.channels.includes(channel)) started.push(await start(options));
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { close: closeAll };
}
