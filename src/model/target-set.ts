/**
 * The unicast targets of a sweep, held as IPv4 ranges plus a short list of IPv6 addresses: a /12 is a million
 * addresses, and a string per address (or a closure, or a timer) for a silent majority is memory that grows with
 * the network instead of with the cameras on it. Addresses are made on demand, a batch at a time.
 */
export interface Ipv4Range {
  /** First address as an unsigned 32-bit integer. */
  start: number;
  count: number;
}

export function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function intToIpv4(value: number): string {
  return `${Math.floor(value / 16_777_216) % 256}.${Math.floor(value / 65_536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

export class TargetSet {
  /** IPv4 ranges, disjoint, in the order given; then the IPv6 addresses. */
  private readonly ranges: Ipv4Range[];
  private readonly ipv6: string[];
  /** Cumulative address count before each range. */
  private readonly offsets: number[];
  readonly size: number;
  readonly ipv4Count: number;

  private constructor(ranges: Ipv4Range[], ipv6: string[]) {
    this.ranges = ranges;
    this.ipv6 = ipv6;
    this.offsets = [];
    let total = 0;
    for (const range of ranges) {
      this.offsets.push(total);
      total += range.count;
    }
    this.ipv4Count = total;
    this.size = total + ipv6.length;
  }

  static empty(): TargetSet {
    return new TargetSet([], []);
  }

  /** Disjoint IPv4 ranges and distinct IPv6 addresses (what TargetSetBuilder makes). */
  static fromParts(ranges: Ipv4Range[], ipv6: string[]): TargetSet {
    return new TargetSet(ranges.map((r) => ({ ...r })), [...ipv6]);
  }

  /** From explicit addresses (tests, small lists): consecutive IPv4 addresses become one range. */
  static of(addresses: Iterable<string>): TargetSet {
    const builder = new TargetSetBuilder();
    for (const address of addresses) {
      if (address.includes(':')) builder.addIpv6(address);
      else builder.addRange(ipv4ToInt(address), 1);
    }
    return builder.build();
  }

  get ipv6Count(): number {
    return this.ipv6.length;
  }

  /** The address at `index` (0 ≤ index < size): IPv4 ranges first, in order, then IPv6. */
  at(index: number): string {
    if (index >= this.ipv4Count) return this.ipv6[index - this.ipv4Count]!;
    return intToIpv4(this.ipv4At(index));
  }

  /** The IPv4 address at `index` (< ipv4Count) as an unsigned 32-bit integer. */
  ipv4At(index: number): number {
    let low = 0;
    let high = this.ranges.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.offsets[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return this.ranges[low]!.start + (index - this.offsets[low]!);
  }

  /** Addresses [from, to), made now. */
  slice(from: number, to: number): string[] {
    const out: string[] = [];
    for (let i = from; i < Math.min(to, this.size); i++) out.push(this.at(i));
    return out;
  }

  /** Every address (only for small sets: tests, `expandTargets`). */
  toArray(): string[] {
    return this.slice(0, this.size);
  }

  /** The IPv4 ranges (for estimates and on-link checks without making every address). */
  ipv4Ranges(): readonly Ipv4Range[] {
    return this.ranges;
  }
}

/** Collects ranges and addresses, dropping what an earlier spec already covered (the first mention keeps its place). */
export class TargetSetBuilder {
  private readonly ranges: Ipv4Range[] = [];
  private readonly ipv6 = new Set<string>();

  addIpv6(address: string): void {
    this.ipv6.add(address);
  }

  addRange(start: number, count: number): void {
    let pieces: Ipv4Range[] = [{ start, count }];
    for (const existing of this.ranges) {
      const next: Ipv4Range[] = [];
      const existingEnd = existing.start + existing.count;
      for (const piece of pieces) {
        const end = piece.start + piece.count;
        if (end <= existing.start || piece.start >= existingEnd) {
          next.push(piece);
          continue;
        }
        if (piece.start < existing.start) next.push({ start: piece.start, count: existing.start - piece.start });
        if (end > existingEnd) next.push({ start: existingEnd, count: end - existingEnd });
      }
      pieces = next;
      if (pieces.length === 0) return;
    }
    for (const piece of pieces) {
      const last = this.ranges.at(-1);
      // Extend the last range when this one continues it (a list of consecutive single addresses).
      if (last && last.start + last.count === piece.start) last.count += piece.count;
      else this.ranges.push({ ...piece });
    }
  }

  get size(): number {
    return this.ranges.reduce((sum, r) => sum + r.count, 0) + this.ipv6.size;
  }

  build(): TargetSet {
    return TargetSet.fromParts(this.ranges, [...this.ipv6]);
  }
}
