type Disposer = () => unknown;

/**
 * Everything a helper starts is registered here and released by the hooks in setup-file.ts, so a
 * failing test cannot leave sockets, servers or databases behind. Resources created inside a test
 * (or a beforeEach) are released after that test; those created in beforeAll, after the file.
 */
const scopes: { test: Disposer[]; file: Disposer[] } = { test: [], file: [] };
let current: keyof typeof scopes = "file";

export function onCleanup(dispose: Disposer): void {
  scopes[current].push(dispose);
}

export function enterScope(scope: keyof typeof scopes): void {
  current = scope;
}

/** Releases in reverse order of creation: clients before the servers they talk to, servers before databases. */
export async function releaseScope(scope: keyof typeof scopes): Promise<void> {
  const disposers = scopes[scope].splice(0).reverse();
  const errors: unknown[] = [];
  for (const dispose of disposers) {
    try {
      await dispose();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, "several cleanups failed");
}

/** Wraps a close function so that calling it early (in the test) and again at cleanup is harmless. */
export function once<T>(f: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | null = null;
  return () => (result ??= f());
}
