/**
 * The library entry: what the CLI, the terminal UI, the tests and the benchmarks use, and what `import 'oneknock'`
 * gives a program. `runScan()` is one AsyncIterable of ScanEvent (discovery → anonymous fingerprint → the optional
 * one-knock login phase when `login` is given); everything else here is the types and helpers around it.
 *
 *   import { runScan, ScanDocumentBuilder } from 'oneknock';
 *   const builder = new ScanDocumentBuilder();
 *   for await (const event of runScan({ targets: ['192.0.2.10'], interfaces: [], waitMs: 3000, timeoutMs: 2000, concurrency: 64 })) builder.add(event);
 */
export { runScan, DEFAULT_CHANNELS, type ScanOptions, type ScanContext } from './scan/run-scan.js';
export { createLoginPhase, toPlannedLogin, type LoginPhaseOptions, type ConfirmationOutcome } from './scan/login-phase.js';
export { expandTarget, expandTargets, parseTargets, MAX_TARGETS_PER_SPEC } from './scan/targets.js';
export { TargetSet } from './model/target-set.js';
export { describeSweep, formatDuration } from './scan/sweep-plan.js';
export { selectInterfaces, type MulticastInterface } from './transport/interfaces.js';
export type { DiscoveryChannelRunner, DiscoveryContext } from './discovery/types.js';
export { ScanDocumentBuilder, type ScanDocument } from './output/json.js';
export { formatNdjsonLine } from './output/ndjson.js';
export { Secret } from './guard/secret.js';
export { loadCredentialsFile, passwordFromEnv, passwordFromStdin, type CredentialBook, type CredentialEntry, type CredentialSet } from './guard/credentials.js';
export { Ledger, defaultLedgerPath, type AttemptView, type LedgerRead } from './guard/ledger.js';
export { lookupLockout, unknownLockout } from './guard/lockout/lookup.js';
export type * from './model/device.js';
export { normaliseMac, deviceIdOf, isAttempted, isFailedLogin } from './model/device.js';
export type * from './model/events.js';
export { ExitCode, OneknockError, UsageError } from './model/errors.js';
