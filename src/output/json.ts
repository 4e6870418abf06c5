/** --json: one document when the scan is done (docs/SAFETY.md "The JSON document"). */
import type { Device } from '../model/device.js';
import type { PlannedLogin, ScanEvent } from '../model/events.js';

export interface ScanDocument {
  schema: 'oneknock/scan@1';
  startedAt: string;
  finishedAt: string;
  devices: Device[];
  warnings: Array<{ address: string | null; message: string; code?: string }>;
  /** The login plan, when credentials were given (extension; with --dry-run it is the whole answer). */
  plan?: PlannedLogin[];
}

/** Folds the event stream into the final document; devices keep the order they were first found in. */
export class ScanDocumentBuilder {
  /** By id; `order` is when the device was first found (a re-keyed device keeps its place, in O(1)). */
  private readonly devices = new Map<string, { order: number; device: Device }>();
  private nextOrder = 0;
  private readonly warnings: ScanDocument['warnings'] = [];
  private startedAt: string | null = null;
  private finishedAt: string | null = null;
  private plan: PlannedLogin[] | null = null;

  add(event: ScanEvent): void {
    switch (event.type) {
      case 'device': {
        const id = event.device.id;
        let slot = this.devices.get(id);
        if (event.previousId && event.previousId !== id) {
          // Re-keyed: the device keeps the place it had under its previous id (unless its new id was listed first).
          const previous = this.devices.get(event.previousId);
          if (previous) {
            this.devices.delete(event.previousId);
            slot ??= previous;
          }
        }
        for (const merged of event.mergedIds ?? []) if (merged !== id) this.devices.delete(merged);
        if (slot) slot.device = event.device;
        else this.devices.set(id, { order: this.nextOrder++, device: event.device });
        if (!this.devices.has(id)) this.devices.set(id, slot!);
        break;
      }
      case 'warning':
        this.warnings.push({ address: event.address, message: event.message, ...(event.code ? { code: event.code } : {}) });
        this.startedAt ??= event.at;
        break;
      case 'login': {
        const device = this.devices.get(event.id)?.device;
        if (device) device.login = { status: event.status, method: event.method, at: event.at, reason: event.reason };
        break;
      }
      case 'done':
        this.startedAt = event.startedAt;
        this.finishedAt = event.finishedAt;
        break;
      case 'plan':
        this.plan = event.logins;
        break;
      case 'phase':
        this.startedAt ??= event.at;
        break;
    }
  }

  build(): ScanDocument {
    const now = new Date().toISOString();
    return {
      schema: 'oneknock/scan@1',
      startedAt: this.startedAt ?? now,
      finishedAt: this.finishedAt ?? now,
      devices: [...this.devices.values()].sort((a, b) => a.order - b.order).map((slot) => slot.device),
      warnings: this.warnings,
      ...(this.plan ? { plan: this.plan } : {}),
    };
  }
}
