/**
 * Wait for a condition instead of sleeping a fixed time: a fixed sleep either wastes time or, under load, ends before
 * the thing it waits for — and an assertion of absence after it then passes for the wrong reason.
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
