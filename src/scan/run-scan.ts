/**
 * The scan: discovery → anonymous fingerprint → (optionally) the one login, as one AsyncIterable<ScanEvent>
 * (docs/ARCHITECTURE.md §1). Fingerprinting starts as soon as a device is heard, so it overlaps the discovery wait.
 */
import { randomUUID } from 'node:crypto';
import { openUdpSocket, type UdpSocketFactory } from '../transport/udp.js';
import { createHttpTransport, type HttpTransport } from '../transport/http.js';
import { sharedSignal } from '../util/signals.js';
import { DeviceRegistry, addEvidence, type DeviceRecord, type Observation } from './registry.js';
import { snapshotDevice } from '../model/record.js';
import type { ScanEvent } from '../model/events.js';
import { AsyncQueue, Limiter } from '../util/async-queue.js';
import type { DiscoveryChannelRunner, DiscoveryContext, MulticastInterface } from '../discovery/types.js';
import { wsDiscoveryChannel } from '../discovery/ws-discovery.js';
import { sadpChannel } from '../discovery/sadp.js';
import { dhipChannel } from '../discovery/dhip.js';
import { ssdpChannel } from '../discovery/ssdp.js';
import { mdnsChannel } from '../discovery/mdns.js';
import { tcpProbeChannel } from '../discovery/tcp-probe.js';
import { fingerprintDevice, type FingerprintState } from '../fingerprint/fingerprint.js';
import { refreshIdentity } from './identity.js';
import { addressesToSplit } from './split.js';
import { createLoginPhase, type ConfirmationOutcome, type LoginPhaseOptions } from './login-phase.js';
import { isAttempted } from '../model/device.js';
import { TargetSet } from '../model/target-set.js';
import { Sweep, type NeighbourPacing } from '../discovery/sweep.js';
import { createNeighbourView, onLinkNetworks, readNeighbourLimits, readTableFulls, type NeighbourLimits, type NeighbourView, type OnLinkNetwork } from '../transport/neighbours.js';
import { describeSweep } from './sweep-plan.js';

export interface ScanOptions {
  /** Hosts to probe by unicast (parsed from --target specs: parseTargets). */
  targets: string[] | TargetSet;
  /** New addresses a second the sweep releases at most (default DEFAULT_SWEEP_RATE). */
  sweepRate?: number;
  /**
   * The kernel's neighbour table, for pacing on-link targets (defaults: read from /proc, the interfaces from
   * os.networkInterfaces). `networks: []` turns the pacing off.
   */
  neighbours?: { limits?: NeighbourLimits; networks?: OnLinkNetwork[]; view?: NeighbourView; overflows?: () => number | null };
  /** Interfaces to multicast on; empty for --no-multicast. */
  interfaces: MulticastInterface[];
  waitMs: number;
  /**
   * Adaptive early finish: end discovery once this many ms pass with no new answer (devices answer a probe within
   * 500 ms — WS-Discovery APP_MAX_DELAY), instead of always listening for the whole wait. Off when undefined.
   */
  settleMs?: number;
  timeoutMs: number;
  /**
   * How long fingerprinting may go on once discovery has ended (default FINGERPRINT_BUDGET_TIMEOUTS × timeoutMs):
   * then running probes are abandoned (a warning per address) and the scan moves on with what was learned. Bounds
   * the phase, not each probe: 300 tarpits that answer WS-Discovery and hold TCP must not stretch the scan.
   */
  fingerprintBudgetMs?: number;
  concurrency: number;
  channels?: DiscoveryChannelRunner[];
  udp?: UdpSocketFactory;
  createHttp?: () => HttpTransport;
  now?: () => number;
  newUuid?: () => string;
  signal?: AbortSignal;
  /** Runs after fingerprinting with the finished records, before the login phase (a custom phase plugs in here). */
  afterFingerprint?: (context: ScanContext) => Promise<void>;
  /**
   * The one-knock login phase (plan → confirmation → one attempt per device under the ledger lock). Its outcome is
   * reported in the `done` event's `loginOutcome`. Absent: no credential is ever sent.
   */
  login?: LoginPhaseOptions;
}

export interface ScanContext {
  registry: DeviceRegistry;
  fingerprints: Map<number, FingerprintState>;
  http: HttpTransport;
  emit(event: ScanEvent): void;
  emitDevice(record: DeviceRecord, previousId?: string | null, mergedIds?: string[]): void;
  now(): number;
  timeoutMs: number;
  concurrency: number;
  signal: AbortSignal;
}

/** The default fingerprint budget after discovery, in units of --timeout: a slow but honest device's probes fit. */
export const FINGERPRINT_BUDGET_TIMEOUTS = 4;

export const DEFAULT_CHANNELS: DiscoveryChannelRunner[] = [wsDiscoveryChannel, sadpChannel, dhipChannel, ssdpChannel, mdnsChannel, tcpProbeChannel];

export async function* runScan(options: ScanOptions): AsyncGenerator<ScanEvent, void, undefined> {
  const queue = new AsyncQueue<ScanEvent>();
  let failure: unknown = null;
  const run = main(options, queue).catch((error: unknown) => {
    failure = error;
  }).finally(() => queue.close());
  for await (const event of queue) yield event;
  await run;
  if (failure) throw failure;
}

async function main(options: ScanOptions, queue: AsyncQueue<ScanEvent>): Promise<void> {
  const now = options.now ?? Date.now;
  const iso = (): string => new Date(now()).toISOString();
  const startedAt = iso();
  const controller = new AbortController();
  // Every in-flight request, connect and sweep tick listens on the scan's signals (sharedSignal).
  const signal = sharedSignal(...(options.signal ? [options.signal] : []), controller.signal);
  const registry = new DeviceRegistry();
  const http = (options.createHttp ?? createHttpTransport)();
  const limiter = new Limiter(Math.max(1, options.concurrency));
  const fingerprints = new Map<number, FingerprintState>();
  const pending = new Set<Promise<void>>();
  // The fingerprint deadline (armed when discovery ends) and the addresses that timed out once (no further probe).
  const deadline = new AbortController();
  const fingerprintSignal = sharedSignal(signal, deadline.signal);
  const stalled = new Set<string>();
  const abandonedAddresses = new Set<string>();
  const probeContext = { http, timeoutMs: options.timeoutMs, now, signal: fingerprintSignal, stalled };

  const context: ScanContext = {
    registry,
    fingerprints,
    http,
    now,
    timeoutMs: options.timeoutMs,
    concurrency: options.concurrency,
    signal,
    emit: (event) => queue.push(event),
    emitDevice: (record, previousId, mergedIds) => {
      queue.push({
        type: 'device',
        at: iso(),
        device: snapshotDevice(record.device),
        ...(previousId ? { previousId } : {}),
        ...(mergedIds && mergedIds.length > 0 ? { mergedIds } : {}),
      });
    },
  };

  // The same warning for the same address once (wsdd repeats its Bye: four identical lines for one host).
  const warned = new Set<string>();
  const warn = (address: string | null, message: string, code?: string): void => {
    const key = `${address ?? ''}\u0000${code ?? ''}\u0000${message}`;
    if (warned.has(key)) return;
    warned.add(key);
    queue.push({ type: 'warning', at: iso(), address, message, ...(code ? { code } : {}) });
  };

  // One pass at a time per record; each new observation queues another pass, which runs only the probes that
  // the new evidence makes possible (XAddrs from WS-Discovery after SADP, a vendor learned late, …).
  const chains = new Map<number, Promise<void>>();
  const scheduleFingerprint = (record: DeviceRecord, address: string): void => {
    let state = fingerprints.get(record.key);
    if (!state) {
      state = { probedAddresses: new Set(), probesDone: new Set(), services: [], clockOffsetMs: null, clockBasis: null, certificateSha256: null };
      fingerprints.set(record.key, state);
    }
    state.probedAddresses.add(address);
    const fingerprintState = state;
    const pass = async (): Promise<void> => {
      const current = registry.get(record.key);
      if (!current) {
        // Folded into another record since this pass was queued: that record probes this address instead.
        const owner = registry.ownerOf(address);
        if (owner) scheduleFingerprint(owner, address);
        return;
      }
      // A later pass at an address that already answered goes before first passes at unknown ones: 300 tarpits
      // queued ahead must not push a real camera's vendor probes past the fingerprint deadline.
      const proven = fingerprintState.probesDone.size > 0 && !stalled.has(address);
      const result = await limiter.run(() => fingerprintDevice(probeContext, current, address, fingerprintState), { first: proven });
      for (const w of result.warnings) {
        if (w.code === 'fingerprint-deadline') abandonedAddresses.add(address);
        warn(address, w.message, w.code);
      }
      // While the probes ran, another observation may have folded this record into another: continue with the
      // record that now holds the device, never with the stale one (that would fold live records into a dead one).
      const live = registry.get(current.key) ?? registry.ownerOf(address);
      if (!live) return;
      const liveState = fingerprints.get(live.key) ?? fingerprintState;
      // What this pass learned went into the folded record's state after the fold copied it: copy it again.
      if (liveState !== fingerprintState) mergeState(liveState, fingerprintState);
      refreshIdentity(live, liveState);
      registry.reindex(live);
      const identified = registry.identify(live, { mac: live.device.mac, serial: live.device.serial });
      if (identified.foldedKeys.length > 0) mergeFingerprints(identified.record.key, identified.foldedKeys);
      context.emitDevice(identified.record, identified.previousId, identified.foldedIds);
    };
    const task = (chains.get(record.key) ?? Promise.resolve())
      .then(pass)
      .catch((error: unknown) => warn(address, `fingerprint failed: ${(error as Error).message}`, 'fingerprint-failed'));
    chains.set(record.key, task);
    pending.add(task);
    void task.finally(() => pending.delete(task));
  };

  const mergeState = (into: FingerprintState, from: FingerprintState): void => {
    for (const address of from.probedAddresses) into.probedAddresses.add(address);
    for (const probe of from.probesDone) into.probesDone.add(probe);
    for (const service of from.services) {
      if (!into.services.some((s) => s.kind === service.kind && s.url === service.url)) into.services.push(service);
    }
    into.clockOffsetMs ??= from.clockOffsetMs;
    into.clockBasis ??= from.clockBasis;
    into.certificateSha256 ??= from.certificateSha256;
    into.lock ??= from.lock;
    into.activated ??= from.activated;
  };

  const mergeFingerprints = (intoKey: number, foldedKeys: number[]): void => {
    for (const key of foldedKeys) {
      const folded = fingerprints.get(key);
      fingerprints.delete(key);
      if (!folded) continue;
      const into = fingerprints.get(intoKey);
      if (!into) {
        fingerprints.set(intoKey, folded);
        continue;
      }
      mergeState(into, folded);
    }
  };

  const discoveryController = new AbortController();
  const discoverySignal = sharedSignal(signal, discoveryController.signal);
  let lastAnswerAt = now();
  const found = (observation: Observation): void => {
    lastAnswerAt = now();
    sweep.heard(observation.address);
    const { record, previousId, foldedIds, foldedKeys, rekeyed } = registry.observe(observation);
    for (const other of rekeyed ?? []) context.emitDevice(other.record, other.previousId);
    mergeFingerprints(record.key, foldedKeys);
    refreshIdentity(record, fingerprints.get(record.key));
    registry.reindex(record);
    context.emitDevice(record, previousId, foldedIds);
    scheduleFingerprint(record, observation.address);
  };

  const targets = options.targets instanceof TargetSet ? options.targets : TargetSet.of(options.targets);
  const networks = targets.ipv4Count > 0 ? (options.neighbours?.networks ?? onLinkNetworks()) : [];
  const neighbourView = options.neighbours?.view ?? createNeighbourView();
  const sweep = new Sweep(targets, {
    waitMs: options.waitMs,
    ...(options.sweepRate !== undefined ? { ratePerSecond: options.sweepRate } : {}),
    neighbours: networks.length > 0 ? { ...neighbourPacing(options.neighbours?.limits ?? readNeighbourLimits(), networks), overflows: options.neighbours?.overflows ?? (() => readTableFulls()) } : null,
    view: neighbourView,
    // Devices waiting for their fingerprint. Up to 4 rounds of the request limit (256 at the default 64) the
    // fingerprints overlap the sweep and its wait; past that the scanner is behind, and answers would pile up in
    // receive buffers until they overflow (10,000 devices at --rate 4000 lost most of theirs without this). The
    // sweep also waits while its own ticks come late (LOOP_LAG_LIMIT_MS: the loop is too busy to read sockets).
    backlog: () => pending.size,
    maxBacklog: 4 * Math.max(1, options.concurrency),
  });
  const discovery: DiscoveryContext = {
    udp: options.udp ?? openUdpSocket,
    sweep,
    neighbours: neighbourView,
    interfaces: options.interfaces,
    waitMs: options.waitMs,
    signal: discoverySignal,
    found,
    warn,
    newUuid: options.newUuid ?? randomUUID,
    known: (address) => registry.hasAddress(address),
  };

  try {
    const plan = sweep.size > 0 ? sweep.estimate() : null;
    queue.push({ type: 'phase', at: iso(), phase: 'discovery', state: 'started', ...(plan ? { detail: describeSweep(plan), sweep: plan } : {}) });
    const channels = options.channels ?? DEFAULT_CHANNELS;
    const discoveryStarted = now();
    const settle = options.settleMs;
    const settleTimer = settle === undefined ? null : setInterval(() => {
      const t = now();
      // The settle counts from the last batch sent: a paced sweep of a /16 is not over when answers pause.
      const sinceRelease = sweep.lastReleaseAt === null ? -1 : performance.now() - sweep.lastReleaseAt;
      if (t - discoveryStarted >= settle && t - lastAnswerAt >= settle && sinceRelease >= settle) discoveryController.abort();
    }, Math.max(20, Math.min(100, settle / 5)));
    await Promise.all(
      channels.map((channel) =>
        channel.run(discovery).catch((error: unknown) => warn(null, `${channel.name} discovery failed: ${(error as Error).message}`, 'channel-failed')),
      ),
    );
    if (settleTimer) clearInterval(settleTimer);
    if (sweep.overflowsDuringSweep > 0) {
      warn(null, `the kernel's neighbour table overflowed ${sweep.overflowsDuringSweep} time(s) during the sweep: probes to some addresses were dropped. Another program is filling the table, or it is too small for this network (raise net.ipv4.neigh.default.gc_thresh3, or sweep with a lower --rate)`, 'neighbour-table-overflow');
    }
    queue.push({
      type: 'phase',
      at: iso(),
      phase: 'discovery',
      state: 'finished',
      detail: discoveryController.signal.aborted
        ? `settled: no new answer for ${settle} ms after ${now() - discoveryStarted} ms`
        : `listened ${options.waitMs} ms${sweep.size > 0 ? ` after the last of ${sweep.size} addresses was probed` : ''}${sweep.overflowsDuringSweep > 0 ? `; the kernel's neighbour table overflowed ${sweep.overflowsDuringSweep} time(s) meanwhile (the sweep slowed down)` : ''}`,
    });
    queue.push({ type: 'phase', at: iso(), phase: 'fingerprint', state: 'started' });
    const budgetMs = options.fingerprintBudgetMs ?? FINGERPRINT_BUDGET_TIMEOUTS * options.timeoutMs;
    const deadlineTimer = setTimeout(() => deadline.abort(), budgetMs);
    while (pending.size > 0) await Promise.all([...pending]);
    // Addresses joined on a shared uuid/MAC/serial whose own answers disagree are different hosts: split them off
    // and fingerprint both sides afresh (each side's clock, services and lock state are its own).
    for (const record of [...registry.all()]) {
      const split = addressesToSplit(record);
      if (split.length === 0) continue;
      const claimed = record.device.id;
      fingerprints.delete(record.key);
      for (const address of split) {
        const fresh = registry.split(record, address);
        warn(address, `answered with the identity of ${claimed} but its own HTTP/ONVIF/RTSP answers disagree: listed as a separate device`, 'identity-disagrees');
        refreshIdentity(fresh, undefined);
        registry.reindex(fresh);
        context.emitDevice(fresh);
        scheduleFingerprint(fresh, address);
      }
      refreshIdentity(record, undefined);
      registry.reindex(record);
      context.emitDevice(record, record.device.id !== claimed ? claimed : null);
      for (const address of record.device.addresses) scheduleFingerprint(record, address);
    }
    while (pending.size > 0) await Promise.all([...pending]);
    clearTimeout(deadlineTimer);
    queue.push({
      type: 'phase',
      at: iso(),
      phase: 'fingerprint',
      state: 'finished',
      ...(abandonedAddresses.size > 0 ? { detail: `abandoned ${abandonedAddresses.size} address(es) at the deadline, ${budgetMs} ms after discovery` } : {}),
    });
    if (options.afterFingerprint) await options.afterFingerprint(context);
    let loginOutcome: ConfirmationOutcome | undefined;
    if (options.login) loginOutcome = await createLoginPhase(options.login).run(context);
    const devices = registry.all().map((r) => r.device);
    const attempted = devices.filter((d) => isAttempted(d.login.status)).length;
    const finishedAt = iso();
    queue.push({
      type: 'done',
      at: finishedAt,
      startedAt,
      finishedAt,
      devices: devices.length,
      loginsAttempted: attempted,
      loginsSucceeded: devices.filter((d) => d.login.status === 'succeeded').length,
      ...(loginOutcome ? { loginOutcome } : {}),
    });
  } finally {
    controller.abort();
    await http.close();
  }
}

/**
 * Room for this sweep in the neighbour table: 60 % of what is free may be resolving at once, and resolving plus
 * recently heard stay 128 entries under the limit (the host's own neighbours, a VMS recording from cameras).
 */
export function neighbourPacing(limits: NeighbourLimits, networks: OnLinkNetwork[]): NeighbourPacing {
  const room = Math.max(64, limits.tableMax - limits.entries);
  return { networks, budget: Math.max(32, Math.floor(room * 0.6)), ceiling: Math.max(48, room - 128), resolveMs: limits.resolveMs + 250 };
}

export { addEvidence };
