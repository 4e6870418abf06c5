/** Writing to stdout with back-pressure (a pipe to `jq` or a file must get every byte of --json/--ndjson). */
export async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
}
