/** The scan document (CONTRACT "The JSON document"), as --json prints it; never a secret. */
import type { ExportFormatter } from './types.js';

export const jsonExport: ExportFormatter = {
  kind: 'json',
  secret: false,
  needsLogin: false,
  description: 'scan document (JSON)',
  format(input) {
    return { content: `${JSON.stringify(input.document, null, 2)}\n`, rows: input.document.devices.length, leftOut: [] };
  },
};
