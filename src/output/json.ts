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
  private readonly devices = new Map<string, Device>();
  private readonly warnings: ScanDocument['warnings'] = [];
  private startedAt: string | null = null;
  private finishedAt: string | null = null;
  private plan: PlannedLogin[] | null = null;

  add(event: ScanEvent): void {
    switch (event.type) {
      case 'device': {
        if (event.previousId && event.previousId !== event.device.id && this.devices.has(event.previousId)) {
          // Re-key in place so the device keeps its position.
          const entries = [...this.devices.entries()].map(([id, d]) => (id === event.previousId ? [event.device.id, event.device] as const : [id, d] as const));
          this.devices.clear();
          for (const [id, d] of entries) this.devices.set(id, d);
        }
        for (const merged of event.mergedIds ?? []) if (merged !== event.device.id) this.devices.delete(merged);
        this.devices.set(event.device.id, event.device);
        break;
      }
      case 'warning':
        this.warnings.push({ address: event.address, message: event.message, ...(event.code ? { code: event.code } : {}) });
        this.startedAt ??= event.at;
        break;
      case 'login': {
        const device = this.devices.get(event.id);
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
      devices: [...this.devices.values()],
      warnings: this.warnings,
      ...(this.plan ? { plan: this.plan } : {}),
    };
  }
}
