/**
 * The simulator's HTTPS certificates: public, test-only material committed under fixtures/tls (see its README).
 * `simulator` is what devices present; `impostor` is the different certificate the pinning test swaps in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { capturesRoot } from './templates.js';

export type SimulatorCertificateName = 'simulator' | 'impostor';

export interface SimulatorCertificate {
  cert: string;
  key: string;
}

const tlsRoot = join(capturesRoot, '..', 'tls');

export function loadSimulatorCertificate(name: SimulatorCertificateName = 'simulator'): SimulatorCertificate {
  return {
    cert: readFileSync(join(tlsRoot, `${name}-cert.pem`), 'utf8'),
    key: readFileSync(join(tlsRoot, `${name}-key.pem`), 'utf8'),
  };
}
