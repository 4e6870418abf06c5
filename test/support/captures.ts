import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const capturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'captures');

/** Bytes of a captured payload, e.g. readCapture('ws-discovery/axis-M1034-W-probematch-kupnp.xml'). */
export function readCapture(relativePath: string): Buffer {
  return readFileSync(join(capturesDir, relativePath));
}

export function readCaptureText(relativePath: string): string {
  return readCapture(relativePath).toString('utf8');
}

/** File names (not paths) in one capture folder, sorted. */
export function listCaptures(folder: string): string[] {
  return readdirSync(join(capturesDir, folder)).sort();
}
