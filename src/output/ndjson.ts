/** --ndjson: one JSON object per line as things happen; the last is {"type":"done",…} (docs/SAFETY.md). */
import type { ScanEvent } from '../model/events.js';

export function formatNdjsonLine(event: ScanEvent): string {
  return `${JSON.stringify(event)}\n`;
}
