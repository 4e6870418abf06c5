/** Faults (not expected outcomes) carry a stable code and the process exit code they map to. */

export const ExitCode = {
  ok: 0,
  fatal: 1,
  usage: 2,
  loginFailed: 3,
  confirmationRequired: 4,
  /** Credentials and --yes were given but no device was logged in: every one was skipped (issue 16). */
  nothingLoggedIn: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class OneknockError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  constructor(code: string, message: string, exitCode: ExitCode = ExitCode.fatal, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OneknockError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

export class UsageError extends OneknockError {
  constructor(message: string, code = 'E_USAGE') {
    super(code, message, ExitCode.usage);
    this.name = 'UsageError';
  }
}
