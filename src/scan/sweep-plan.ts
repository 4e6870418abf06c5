/** The sentence a user reads before a sweep starts: how much, how fast, how long (pure). */
import type { SweepPlanInfo } from '../model/events.js';

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${Math.max(1, seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const count = (n: number): string => n.toLocaleString('en-US');

export function describeSweep(plan: SweepPlanInfo): string {
  const total = `sweeping ${count(plan.addresses)} address${plan.addresses === 1 ? '' : 'es'}`;
  const about = `about ${formatDuration(plan.estimateMs)}`;
  const routed = `at ≤ ${count(plan.ratePerSecond)}/s`;
  if (plan.onLink === 0 || plan.onLinkRatePerSecond === null) return `${total} ${routed}: ${about}`;
  const onLink = `on-link (${plan.onLinkNetworks.join(', ')}) at ≤ ${Math.floor(plan.onLinkRatePerSecond)}/s so the neighbour table never overflows`;
  if (plan.onLink === plan.addresses) return `${total}, all ${onLink}: ${about}`;
  return `${total}: ${count(plan.onLink)} ${onLink}, ${count(plan.addresses - plan.onLink)} routed ${routed}: ${about}`;
}
