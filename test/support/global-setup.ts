/**
 * vitest globalSetup: reserve a loopback /16 (127.<octet>.0.0) for this test run, so two `npm test` runs on one
 * machine (two checkouts, a developer and CI) never bind the same simulated-device addresses. The reservation is a
 * file named by the octet holding the owner's pid; a file whose pid is gone is taken over.
 */
import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

const FIRST = 100;
const LAST = 199;
const directory = join(tmpdir(), 'oneknock-test-octets');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function reserve(): { octet: number; release(): void } {
  mkdirSync(directory, { recursive: true });
  const start = FIRST + (process.pid % (LAST - FIRST + 1));
  for (let i = 0; i <= LAST - FIRST; i++) {
    const octet = FIRST + ((start - FIRST + i) % (LAST - FIRST + 1));
    const file = join(directory, String(octet));
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return { octet, release: () => { try { unlinkSync(file); } catch { /* already gone */ } } };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number(readFileSync(file, 'utf8'));
        if (Number.isInteger(owner) && owner > 0 && alive(owner)) break;
        try { unlinkSync(file); } catch { /* raced with another run */ }
      }
    }
  }
  throw new Error(`no free loopback /16 for tests in 127.${FIRST}-${LAST}.0.0 (see ${directory})`);
}

export default function setup(project: TestProject): () => void {
  const { octet, release } = reserve();
  project.provide('loopbackOctet', octet);
  return release;
}

declare module 'vitest' {
  export interface ProvidedContext {
    loopbackOctet: number;
  }
}
