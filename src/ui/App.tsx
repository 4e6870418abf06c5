/**
 * The terminal UI: watch the network appear, choose devices, knock once, export. Renders UiState; every change
 * comes through reduce() from a ScanEvent or a key press. Network work happens in the core via UiSession.
 */
import React, { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { LineInput } from './components/LineInput.js';
import { initialState, reduce } from './state.js';
import type { UiSession } from './session.js';
import { DeviceTable } from './components/DeviceTable.js';
import { DetailPane } from './components/DetailPane.js';
import { PlanView } from './components/PlanView.js';
import { Secret } from '../guard/secret.js';
import type { CredentialBook, CredentialEntry } from '../guard/credentials.js';
import type { AttemptView } from '../guard/ledger.js';
import { identityKeys } from '../guard/planner.js';
import { EXPORT_KINDS, parseExportSpec, type ExportRequest } from '../output/exports/index.js';

/** `<kind>=<path>`, or a bare path: `.json` the document, anything else the XProtect CSV (the UI's old default). */
function exportRequestOf(value: string): ExportRequest {
  const kind = value.slice(0, Math.max(0, value.indexOf('='))).trim().toLowerCase();
  if ((EXPORT_KINDS as string[]).includes(kind)) return parseExportSpec(value);
  return { kind: value.trim().endsWith('.json') ? 'json' : 'xprotect', path: value.trim() };
}

export interface AppProps {
  session: UiSession;
  /** What is being scanned, for the header. */
  scope: { interfaces: string[]; targets: number };
  defaultUser?: string;
  fileEntries?: CredentialEntry[];
  history(keys: string[]): AttemptView[];
  colour: boolean;
  now?: () => number;
}

type CredentialStep = 'user' | 'password';

export function App({ session, scope, defaultUser, fileEntries, history, colour, now = Date.now }: AppProps): React.ReactElement {
  const [state, dispatch] = useReducer(reduce, undefined, initialState);
  const { exit } = useApp();
  const { stdout } = useStdout();
  // One column short of the terminal: a line that fills the last column leaves the cursor in the pending-wrap
  // state, and redraws then land one line off in some terminals (tmux among them).
  const measure = (): { columns: number; rows: number } => ({ columns: Math.max(40, (stdout.columns ?? 80) - 1), rows: stdout.rows ?? 24 });
  const [size, setSize] = useState(measure);
  const [tick, setTick] = useState(0);
  const [credentialStep, setCredentialStep] = useState<CredentialStep>('user');
  const [username, setUsername] = useState(defaultUser ?? '');
  const [busy, setBusy] = useState(false);
  // The D key: this round's login also turns the lock off (lockout set --disable), after the same plan and confirmation.
  const [lockOff, setLockOff] = useState(false);
  const scanGeneration = useRef(0);

  useEffect(() => {
    const onResize = (): void => setSize(measure());
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);

  const startScan = useCallback(() => {
    const generation = ++scanGeneration.current;
    dispatch({ type: 'rescan', nowMs: now() });
    void (async () => {
      try {
        for await (const event of session.scan()) {
          if (generation !== scanGeneration.current) continue;
          dispatch({ type: 'event', event, nowMs: now() });
        }
      } catch (error) {
        dispatch({ type: 'message', text: `scan failed: ${(error as Error).message}` });
      }
    })();
  }, [session, now]);

  useEffect(() => {
    startScan();
    const timer = setInterval(() => setTick((t) => t + 1), 250);
    return () => clearInterval(timer);
  }, [startScan]);

  const targetsOrSelection = (): string[] => (state.selected.length > 0 ? state.selected : state.devices[state.cursor] ? [state.devices[state.cursor]!.id] : []);

  const requestPlan = async (book: CredentialBook, lock = lockOff): Promise<void> => {
    setBusy(true);
    dispatch({ type: 'message', text: 'Planning: no credential is sent until you confirm…' });
    const plan = await session.plan(book, targetsOrSelection(), lock ? { enabled: false } : undefined);
    dispatch({ type: 'plan', plan });
    setBusy(false);
    // A disabled lock also lets an attacker guess passwords without limit: say so before the confirmation.
    dispatch({ type: 'message', text: lock ? 'y also turns the "Illegal Login Lock" OFF on these devices (one login, one write, one read-back each); then nothing limits password guessing' : null });
    dispatch({ type: 'open', screen: 'plan' });
  };

  const startLogin = (lock: boolean): void => {
    if (busy || state.phase === 'login') return;
    setLockOff(lock);
    if (state.phase === 'discovery' || state.phase === 'fingerprint' || state.phase === 'idle') {
      dispatch({ type: 'message', text: 'Wait for the scan to finish identifying devices before logging in.' });
      return;
    }
    if (state.phase === 'done') {
      dispatch({ type: 'message', text: 'This scan has ended; press r to rescan, then l.' });
      return;
    }
    if (fileEntries && fileEntries.length > 0) {
      void requestPlan({ defaultSet: null, entries: fileEntries }, lock);
      return;
    }
    setCredentialStep('user');
    dispatch({ type: 'open', screen: 'credentials' });
  };

  // A terminal delivers keys typed in quick succession (or pasted) as one chunk: "al" is `a` then `l`. The device
  // list takes it one key at a time, up to the first key that opens another screen (the rest belongs there).
  useInput((input, key) => {
    if (state.screen !== 'scan' || input.length <= 1 || key.ctrl || key.meta) {
      handleKey(input, key);
      return;
    }
    for (const character of input) {
      handleKey(character, key);
      if ('lDe?rq'.includes(character)) break;
    }
  });

  function handleKey(input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]): void {
    if (state.screen === 'credentials' || state.screen === 'export') {
      if (key.escape) dispatch({ type: 'close' });
      return;
    }
    if (state.screen === 'plan') {
      if (input === 'y' && state.plan && state.plan.some((p) => p.action === 'attempt')) {
        dispatch({ type: 'close' });
        dispatch({ type: 'message', text: lockOff ? 'Turning the lock off: one login, one write, one read-back per device…' : 'Logging in: one attempt per device…' });
        void session.confirm(true).then(() => {
          if (lockOff) {
            const results = session.lockResults?.() ?? [];
            const verified = results.filter((r) => r.status === 'verified' || r.status === 'unchanged').length;
            dispatch({ type: 'message', text: `Lock off and read back on ${verified} device(s); ${results.length - verified} not changed (see "oneknock ledger list").` });
            setLockOff(false);
          } else dispatch({ type: 'message', text: 'Logins done. e writes an export: xprotect, pstools, go2rtc, frigate, inventory or json.' });
        });
      } else if (input === 'n' || key.escape) {
        setLockOff(false);
        void session.confirm(false);
        dispatch({ type: 'close' });
        dispatch({ type: 'message', text: 'Cancelled: no credential was sent.' });
      }
      return;
    }
    if (state.screen === 'detail' || state.screen === 'help') {
      if (key.escape || key.return || input === 'q' || input === '?') dispatch({ type: 'close' });
      else if (input === 'D' && state.screen === 'detail') {
        dispatch({ type: 'close' });
        startLogin(true);
      }
      return;
    }
    if (key.upArrow || input === 'k') dispatch({ type: 'move', delta: -1 });
    else if (key.downArrow || input === 'j') dispatch({ type: 'move', delta: 1 });
    else if (input === ' ') dispatch({ type: 'toggle-select' });
    else if (input === 'a') dispatch({ type: 'select-all' });
    else if (key.return && state.devices[state.cursor]) dispatch({ type: 'open', screen: 'detail' });
    else if (input === '?') dispatch({ type: 'open', screen: 'help' });
    else if (input === 'r') {
      session.finish();
      startScan();
    } else if (input === 'l' || input === 'D') {
      startLogin(input === 'D');
    } else if (input === 'e') {
      dispatch({ type: 'open', screen: 'export' });
    } else if (input === 'q') {
      session.finish();
      exit();
    }
  }

  const elapsed = state.startedAtMs === null ? 0 : ((state.finishedAtMs ?? now()) - state.startedAtMs) / 1000;
  void tick;
  const channels = Object.entries(state.channelCounts).map(([c, n]) => `${c} ${n}`).join('  ') || 'none yet';
  const tableHeight = Math.max(3, size.rows - 8);
  const current = state.devices[state.cursor];
  const phaseLabel = state.phase === 'ready' ? 'ready — select devices, l to log in' : state.phase === 'login' ? 'logging in' : state.phase;

  return (
    <Box flexDirection="column" width={size.columns}>
      <Text>
        <Text bold>oneknock</Text>
        {`  ${phaseLabel}  ${elapsed.toFixed(1)} s  |  ${scope.interfaces.length > 0 ? `interfaces ${scope.interfaces.join(',')}` : 'no multicast'}  |  targets ${scope.targets}  |  ${state.devices.length} device(s): ${channels}`}
      </Text>
      {state.phase === 'discovery' && state.sweep ? <Text dimColor>{state.sweep}</Text> : null}
      {state.screen === 'detail' && current ? (
        <DetailPane device={current} history={history(identityKeys(current))} drivers={session.drivers} />
      ) : state.screen === 'plan' && state.plan ? (
        <PlanView plan={state.plan} />
      ) : state.screen === 'help' ? (
        <Box flexDirection="column" borderStyle="round" paddingX={1}>
          <Text bold>Keys</Text>
          <Text>↑/↓ or k/j move   space select   a select all   enter details   r rescan</Text>
          <Text>l log in to the selected devices (or the one under the cursor): one attempt each, after a plan you confirm</Text>
          <Text>D the same, and turn their "Illegal Login Lock" off (one write and one read-back each; also from the detail pane)</Text>
          <Text>e export (xprotect, pstools, go2rtc, frigate, inventory, json)   ? help   q quit</Text>
          <Text dimColor>No credential is ever sent during the scan. A device whose last attempt failed is skipped until "oneknock ledger forget".</Text>
        </Box>
      ) : (
        <DeviceTable devices={state.devices} cursor={state.cursor} selected={state.selected} remaining={state.remaining} width={size.columns} height={tableHeight} colour={colour} {...(state.unlockWaits ? { unlockWaits: state.unlockWaits } : {})} />
      )}
      {state.screen === 'credentials' ? (
        <Box flexDirection="column" borderStyle="round" paddingX={1}>
          <Text bold>{`Credential set for ${targetsOrSelection().length} device(s) — each gets exactly one attempt`}</Text>
          <Box>
            <Text>Username: </Text>
            <LineInput
              isActive={credentialStep === 'user'}
              initialValue={username}
              placeholder="admin"
              onSubmit={(value) => {
                const clean = value.trim();
                if (clean) {
                  setUsername(clean);
                  setCredentialStep('password');
                }
              }}
            />
          </Box>
          <Box>
            <Text>{credentialStep === 'password' ? `Password for ${username}: ` : 'Password: '}</Text>
            <LineInput
              mask
              isActive={credentialStep === 'password'}
              onSubmit={(value) => {
                if (!value) return;
                dispatch({ type: 'close' });
                void requestPlan({ defaultSet: { username, password: new Secret(value), origin: 'terminal UI' }, entries: [] });
              }}
            />
          </Box>
          <Text dimColor>enter: next   esc: cancel</Text>
        </Box>
      ) : null}
      {state.screen === 'export' ? (
        <Box flexDirection="column" borderStyle="round" paddingX={1}>
          <Text bold>{`Export: <kind>=<path>, kind one of ${EXPORT_KINDS.join(', ')} (a bare path: .json writes the JSON document, else the Milestone XProtect CSV). xprotect, pstools, go2rtc and frigate hold passwords (written owner-only); Milestone rows need a driver number.`}</Text>
          <Box>
            <Text>Path: </Text>
            <LineInput
              isActive
              initialValue="oneknock-xprotect.csv"
              onSubmit={(value) => {
                try {
                  const request = exportRequestOf(value);
                  const written = session.exportTo(request.kind, request.path);
                  const left = written.leftOut > 0 ? `; ${written.leftOut} left out (no Milestone driver number or no stream)` : '';
                  dispatch({ type: 'message', text: `Wrote ${written.rows} device(s) to ${request.path} as ${request.kind} (${written.protection})${left}.` });
                } catch (error) {
                  dispatch({ type: 'message', text: `Export failed: ${(error as Error).message}` });
                }
                dispatch({ type: 'close' });
              }}
            />
          </Box>
          <Text dimColor>enter: write   backspace: edit   esc: cancel</Text>
        </Box>
      ) : null}
      {state.message ? <Text color={colour ? 'cyan' : undefined}>{state.message}</Text> : null}
      {state.warnings.length > 0 ? <Text dimColor>{`${state.warnings.length} warning(s); last: ${state.warnings.at(-1)!.address ?? ''} ${state.warnings.at(-1)!.message}`.slice(0, size.columns)}</Text> : null}
      <Text dimColor>{'↑↓ move  space select  a all  enter details  l log in  D lock off  e export  r rescan  ? help  q quit'.slice(0, size.columns)}</Text>
    </Box>
  );
}
