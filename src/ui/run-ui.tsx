/** Entry point of the terminal UI; imported lazily by cli.ts only on a TTY (JSON mode never loads React). */
import React from 'react';
import { render } from 'ink';
import { App } from './App.js';
import { createUiSession, type UiExportOptions } from './session.js';
import type { ScanOptions } from '../index.js';
import { Ledger, attemptsFor } from '../guard/ledger.js';
import type { CredentialEntry } from '../guard/credentials.js';

export interface InteractiveOptions {
  scan: Omit<ScanOptions, 'afterFingerprint'>;
  ledgerPath: string;
  defaultUser?: string;
  fileEntries?: CredentialEntry[];
  /** --milestone-drivers, --recording-server, --allow-driver-detection for the `e` exports. */
  exports?: UiExportOptions;
}

export async function runInteractive(options: InteractiveOptions): Promise<{ loginFailed: boolean }> {
  const session = createUiSession({ ...options.scan, ledgerPath: options.ledgerPath, ...(options.exports ?? {}) });
  const ledger = new Ledger(options.ledgerPath);
  const colour = !process.env['NO_COLOR'];
  const instance = render(
    <App
      session={session}
      scope={{ interfaces: [...new Set(options.scan.interfaces.map((i) => i.name))], targets: Array.isArray(options.scan.targets) ? options.scan.targets.length : options.scan.targets.size }}
      {...(options.defaultUser ? { defaultUser: options.defaultUser } : {})}
      {...(options.fileEntries ? { fileEntries: options.fileEntries } : {})}
      history={(keys) => attemptsFor(ledger.read(), keys)}
      colour={colour}
    />,
    { exitOnCtrlC: true },
  );
  await instance.waitUntilExit();
  session.finish();
  return { loginFailed: session.loginFailed };
}
