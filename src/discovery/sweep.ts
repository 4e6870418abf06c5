/**
 * One unicast sweep shared by every discovery channel. Addresses are released in small batches at a pace; each
 * channel that joins sends its probe to every released batch (late joiners catch up), and resends to the addresses
 * of a batch that no channel has heard yet, 600 ms apart (resendTimes). Every channel thus knocks on an address
 * at about the same moment, which is what keeps an on-link sweep inside the kernel's neighbour table: one entry
 * per address, resolved once, while every channel's datagram waits on it.
 *
 * The pace: at most `ratePerSecond` new addresses a second (receive buffers and the fleet's CPU are finite), and
 * for addresses on a directly attached network at most `neighbourBudget` of them unresolved at once (an address
 * holds its entry `resolveMs` while it stays silent), with recently heard ones counted too (a camera being
 * fingerprinted keeps its entry busy). Nothing here is per address: batches are index ranges into the TargetSet,
 * and the addresses of a batch are made when it is sent.
 */
import { TargetSet, intToIpv4, ipv4ToInt } from '../model/target-set.js';
import { onLinkNetworkOf, type NeighbourView, type OnLinkNetwork } from '../transport/neighbours.js';
import { delay } from '../util/async-queue.js';
import type { SweepPlanInfo } from '../model/events.js';

/** Addresses per release. */
export const SWEEP_BATCH = 64;
/** New addresses a second when nothing else limits the pace (masscan's default is 100 packets/s; we send ~4 per address). */
export const DEFAULT_SWEEP_RATE = 4_000;
const RESEND_AFTER_MS = 600;
const MAX_RESENDS = 3;
/** A camera heard on-link keeps its neighbour entry busy this long (fingerprinting, then reachable_time ≤ 45 s). */
const HEARD_HOLDS_MS = 60_000;
const TICK_MS = 20;
/**
 * Datagrams to an on-link address wait in the kernel until its neighbour resolves, and they count against the
 * sending socket's send buffer (208 KiB, net.core.wmem_max, ~100 probes) meanwhile: one socket per channel held a
 * whole on-link sweep to ~35 new addresses a second. Each channel sends an on-link sweep over this many sockets.
 */
export const ON_LINK_SOCKETS = 8;
/**
 * A sweep tick that comes this late means the event loop is saturated (fingerprinting the answers): sockets are
 * not being read, and a flood of answers fills their receive buffers. No new batch until the loop catches up.
 */
export const LOOP_LAG_LIMIT_MS = 50;
/**
 * Answers arrive within 500 ms of a probe (APP_MAX_DELAY): a resend the loop's lag held back still gets that long to
 * be answered. (A resend on time is sent ≥ 500 ms before the window closes, so this changes nothing then.)
 */
const RESEND_ANSWER_MS = 500;

/**
 * When to resend to the targets still silent: every 600 ms (the first after half the wait when that is shorter),
 * at most three times, and never so late that an answer (≤ 500 ms, APP_MAX_DELAY) could not arrive in the wait.
 */
export function resendTimes(waitMs: number, rounds = MAX_RESENDS): number[] {
  const times: number[] = [];
  let at = Math.min(RESEND_AFTER_MS, waitMs / 2);
  while (times.length < rounds && (times.length === 0 || at <= waitMs - 500)) {
    times.push(at);
    at += RESEND_AFTER_MS;
  }
  return times;
}

export interface NeighbourPacing {
  networks: readonly OnLinkNetwork[];
  /** On-link addresses unresolved at once, at most. */
  budget: number;
  /** Entries (unresolved plus recently heard) at most: the room the table has for this sweep. */
  ceiling: number;
  /** How long an unanswered address holds its entry. */
  resolveMs: number;
  /**
   * The kernel's count of refused entries (Linux table_fulls), or null where unknown. When it rises during the
   * sweep — this sweep's doing or another tenant's — on-link releases pause for a resolve time and the budget
   * halves (down to 16), then creeps back (+10 % per quiet resolve time).
   */
  overflows?: () => number | null;
}

export interface SweepOptions {
  waitMs: number;
  /** New addresses a second at most (default DEFAULT_SWEEP_RATE). */
  ratePerSecond?: number;
  /** Neighbour-table pacing for on-link addresses; none: only the rate applies. */
  neighbours?: NeighbourPacing | null;
  /** The kernel's neighbour view: resends skip an address whose resolution is still pending (nobody there yet). */
  view?: NeighbourView;
  /**
   * Work the answers made that is not done yet (devices waiting for their fingerprint): no new batch while it is over
   * `maxBacklog`. Answers arrive as fast as we probe; a scanner that cannot keep up lets its receive buffers overflow
   * and loses the answers, so the sweep waits for it instead.
   */
  backlog?: () => number;
  maxBacklog?: number;
  now?: () => number;
}

export interface SweepSender {
  /** Only these addresses of a batch are given to send (IPv4 only for SADP and DHIP). */
  accepts?: (address: string) => boolean;
  send(addresses: string[]): Promise<void>;
}

export interface JoinOptions {
  /** Get each batch this long after its release (the TCP probe waits for UDP answers first). */
  delayMs?: number;
  /** Resend to the batch's still-silent addresses (default true). */
  resend?: boolean;
}

/** What the sweep covers and will take: the `sweep` of the discovery phase event. */
export type SweepEstimate = SweepPlanInfo;

interface Batch {
  from: number;
  to: number;
  at: number;
  onLink: number;
}

export class Sweep {
  readonly targets: TargetSet;
  private readonly waitMs: number;
  private readonly rate: number;
  private readonly pacing: NeighbourPacing | null;
  private readonly view: NeighbourView | null;
  private readonly now: () => number;
  private readonly backlog: (() => number) | null;
  private readonly maxBacklog: number;
  private readonly batches: Batch[] = [];
  private released = 0;
  private startedAt: number | null = null;
  private lastAdvance = 0;
  private tokens = 0;
  private finishedAt: number | null = null;
  /** Batches whose on-link addresses may still hold an unresolved entry: [unresolvedFrom, batches.length). */
  private unresolvedFrom = 0;
  private unresolvedOnLink = 0;
  /** Times of first answers from on-link addresses (only addresses that answered: a camera, not the silent rest). */
  private readonly heardTimes: number[] = [];
  private heardFrom = 0;
  private readonly heardSet = new Set<string>();
  /** Neighbour budget now (lowered after an overflow) and when on-link releases may resume. */
  private budget = 0;
  private pausedUntil = -Infinity;
  private overflowsSeen: number | null = null;
  private overflowCheckedAt = -Infinity;
  private quietSince = 0;
  /** How late the last sweep tick fired (event-loop lag), ms. */
  private loopLagMs = 0;
  /** When the last resend went out (a late one gets its own time to be answered), and joined senders not done. */
  private lastResendAt = -Infinity;
  private activeSenders = 0;
  /** Overflows the kernel counted while this sweep ran (reported in the finished phase). */
  overflowsDuringSweep = 0;

  constructor(targets: TargetSet, options: SweepOptions) {
    this.targets = targets;
    this.waitMs = options.waitMs;
    this.rate = Math.max(1, options.ratePerSecond ?? DEFAULT_SWEEP_RATE);
    this.pacing = options.neighbours && options.neighbours.networks.length > 0 ? options.neighbours : null;
    this.view = options.view ?? null;
    this.now = options.now ?? (() => performance.now());
    this.backlog = options.backlog ?? null;
    this.maxBacklog = options.maxBacklog ?? Infinity;
    this.budget = this.pacing?.budget ?? 0;
  }

  get size(): number {
    return this.targets.size;
  }

  /** Sockets each channel should spread its sends over (more for on-link sweeps: see ON_LINK_SOCKETS). */
  get socketsPerChannel(): number {
    return this.pacing && this.estimate().onLink > 0 ? ON_LINK_SOCKETS : 1;
  }

  /** True once every address has been released (the listening window of the last batch then runs). */
  get releasedAll(): boolean {
    return this.finishedAt !== null;
  }

  /** When the last batch was released (ms, this sweep's clock), or null while the sweep runs. */
  get lastReleaseAt(): number | null {
    return this.finishedAt;
  }

  /** How many on-link addresses are in the set, and what the sweep will take (printed before it starts). */
  estimate(): SweepEstimate {
    let onLink = 0;
    const names = new Set<string>();
    if (this.pacing) {
      for (const range of this.targets.ipv4Ranges()) {
        for (const net of this.pacing.networks) {
          const size = 2 ** (32 - net.prefix);
          const from = Math.max(range.start, net.network);
          const to = Math.min(range.start + range.count, net.network + size);
          if (to > from) {
            onLink += to - from;
            names.add(`${net.name} ${intToIpv4(net.network)}/${net.prefix}`);
          }
        }
      }
    }
    const onLinkRate = this.pacing ? Math.min(this.rate, (this.pacing.budget * 1000) / this.pacing.resolveMs) : null;
    const offLink = this.size - onLink;
    const sendMs = (offLink / this.rate) * 1000 + (onLinkRate ? (onLink / onLinkRate) * 1000 : 0);
    return { addresses: this.size, onLink, ratePerSecond: this.rate, onLinkRatePerSecond: onLinkRate, estimateMs: Math.round(sendMs + this.waitMs), onLinkNetworks: [...names] };
  }

  /** An answer from this address arrived (any channel): no resend to it, and on-link it now holds an entry. */
  heard(address: string): void {
    if (this.heardSet.has(address)) return;
    this.heardSet.add(address);
    if (this.pacing && !address.includes(':') && onLinkNetworkOf(this.pacing.networks, ipv4ToInt(address))) this.heardTimes.push(this.now());
  }

  hasHeard(address: string): boolean {
    return this.heardSet.has(address);
  }

  /**
   * Send every batch to `sender` as it is released (and resend to the silent), until the sweep is done for it.
   * Resolves when its last resend is sent, or at once on abort.
   */
  async join(sender: SweepSender, signal: AbortSignal, options: JoinOptions = {}): Promise<void> {
    if (this.size === 0) return;
    this.activeSenders += 1;
    try {
      await this.run(sender, signal, options);
    } finally {
      this.activeSenders -= 1;
    }
  }

  private async run(sender: SweepSender, signal: AbortSignal, options: JoinOptions): Promise<void> {
    const delayMs = options.delayMs ?? 0;
    const rounds = options.resend === false ? [] : resendTimes(this.waitMs);
    const roundNext = rounds.map(() => 0);
    let next = 0;
    const addresses = (batch: Batch, filter: (address: string) => boolean): string[] => {
      const out: string[] = [];
      for (let i = batch.from; i < batch.to; i++) {
        const address = this.targets.at(i);
        if (filter(address) && (!sender.accepts || sender.accepts(address))) out.push(address);
      }
      return out;
    };
    const silent = (address: string): boolean => !this.heardSet.has(address) && this.view?.state(address) !== 'unresolved';
    for (;;) {
      if (signal.aborted) return;
      this.advance();
      while (next < this.batches.length && this.batches[next]!.at + delayMs <= this.now()) {
        const batch = addresses(this.batches[next]!, () => true);
        next += 1;
        if (batch.length > 0) await sender.send(batch);
        if (signal.aborted) return;
        this.advance();
      }
      // A resend into a saturated loop would be lost like the answer it replaces: it waits for the loop too.
      for (let k = 0; k < rounds.length && this.loopLagMs <= LOOP_LAG_LIMIT_MS; k++) {
        while (roundNext[k]! < next && this.batches[roundNext[k]!]!.at + delayMs + rounds[k]! <= this.now()) {
          const batch = addresses(this.batches[roundNext[k]!]!, silent);
          roundNext[k]! += 1;
          if (batch.length > 0) await this.resent(sender, batch);
          if (signal.aborted) return;
        }
      }
      if (this.finishedAt !== null && next === this.batches.length && roundNext.every((r) => r === next)) return;
      const slept = this.now();
      await delay(TICK_MS, signal);
      this.loopLagMs = Math.max(0, this.now() - slept - TICK_MS);
    }
  }

  private async resent(sender: SweepSender, batch: string[]): Promise<void> {
    this.lastResendAt = this.now();
    await sender.send(batch);
  }

  /**
   * Resolves when the listening window is over: `waitMs` after the last release, and — when the loop's lag held
   * resends back — RESEND_ANSWER_MS after the last resend, once every joined sender is done (or on abort).
   */
  async listen(signal: AbortSignal): Promise<void> {
    this.advance();
    for (;;) {
      if (signal.aborted) return;
      this.advance();
      if (this.finishedAt !== null) break;
      await delay(TICK_MS * 5, signal);
    }
    for (;;) {
      if (signal.aborted) return;
      const until = Math.max(this.finishedAt + this.waitMs, this.lastResendAt + RESEND_ANSWER_MS);
      const left = until - this.now();
      if (left <= 0 && this.activeSenders === 0) return;
      // Bounded all the same: a sender stuck in a send never holds discovery past twice the wait.
      if (this.now() >= this.finishedAt + 2 * this.waitMs + 2 * RESEND_ANSWER_MS) return;
      await delay(Math.max(TICK_MS, Math.min(left, 250)), signal);
    }
  }

  /** Release what the pace allows by now. Cheap; called by every joined sender's loop. */
  private advance(): void {
    const t = this.now();
    if (this.startedAt === null) {
      this.startedAt = t;
      this.lastAdvance = t;
      this.tokens = Math.min(SWEEP_BATCH, this.rate);
      if (this.size === 0) this.finishedAt = t;
    }
    if (this.finishedAt !== null) return;
    this.tokens = Math.min(Math.max(SWEEP_BATCH, this.rate * (TICK_MS / 1000) * 2), this.tokens + ((t - this.lastAdvance) * this.rate) / 1000);
    this.lastAdvance = t;
    this.expire(t);
    if (this.backlog && this.backlog() > this.maxBacklog) return;
    if (this.loopLagMs > LOOP_LAG_LIMIT_MS) return;
    while (this.released < this.size && this.tokens >= 1) {
      let room = Math.min(SWEEP_BATCH, Math.floor(this.tokens), this.size - this.released);
      let onLink = 0;
      if (this.pacing) {
        const paused = t < this.pausedUntil;
        const free = paused ? 0 : Math.min(this.budget - this.unresolvedOnLink, this.pacing.ceiling - this.unresolvedOnLink - (this.heardTimes.length - this.heardFrom));
        // Count the batch's on-link addresses, stopping where the neighbour budget is spent.
        let take = 0;
        while (take < room) {
          if (this.isOnLink(this.released + take)) {
            if (onLink >= free) break;
            onLink += 1;
          }
          take += 1;
        }
        room = take;
      }
      if (room <= 0) break;
      this.batches.push({ from: this.released, to: this.released + room, at: t, onLink });
      this.released += room;
      this.tokens -= room;
      this.unresolvedOnLink += onLink;
    }
    if (this.released >= this.size) this.finishedAt = t;
  }

  /** Forget entries that resolved or failed by now: batches older than resolveMs, answers older than HEARD_HOLDS_MS. */
  private expire(t: number): void {
    if (!this.pacing) return;
    this.watchOverflows(t, this.pacing);
    while (this.unresolvedFrom < this.batches.length && this.batches[this.unresolvedFrom]!.at + this.pacing.resolveMs <= t) {
      this.unresolvedOnLink -= this.batches[this.unresolvedFrom]!.onLink;
      this.unresolvedFrom += 1;
    }
    while (this.heardFrom < this.heardTimes.length && this.heardTimes[this.heardFrom]! + HEARD_HOLDS_MS <= t) this.heardFrom += 1;
    if (this.heardFrom > 4096) {
      this.heardTimes.splice(0, this.heardFrom);
      this.heardFrom = 0;
    }
  }

  /** Back off when the kernel starts refusing entries; recover slowly once it stops. */
  private watchOverflows(t: number, pacing: NeighbourPacing): void {
    if (!pacing.overflows || t - this.overflowCheckedAt < 250) return;
    this.overflowCheckedAt = t;
    const count = pacing.overflows();
    if (count === null) return;
    if (this.overflowsSeen !== null && count > this.overflowsSeen) {
      this.overflowsDuringSweep += count - this.overflowsSeen;
      this.budget = Math.max(16, Math.floor(this.budget / 2));
      this.pausedUntil = t + pacing.resolveMs;
      this.quietSince = t;
    } else if (t - this.quietSince >= pacing.resolveMs && this.budget < pacing.budget) {
      this.budget = Math.min(pacing.budget, Math.ceil(this.budget * 1.1));
      this.quietSince = t;
    }
    this.overflowsSeen = count;
  }

  private isOnLink(index: number): boolean {
    if (!this.pacing || index >= this.targets.ipv4Count) return false;
    return onLinkNetworkOf(this.pacing.networks, this.targets.ipv4At(index)) !== null;
  }
}
