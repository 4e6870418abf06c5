/**
 * A signal that many operations listen to at once: every in-flight request, connect and timer of a scan adds its own
 * abort listener to it. Node warns of a possible leak past 10 listeners on one EventTarget
 * (MaxListenersExceededWarning on stderr); for these signals dozens at once is the design, not a leak.
 */
import { setMaxListeners } from 'node:events';

/** AbortSignal.any of `signals`, with no listener limit. */
export function sharedSignal(...signals: AbortSignal[]): AbortSignal {
  const combined = AbortSignal.any(signals);
  setMaxListeners(0, combined);
  return combined;
}
