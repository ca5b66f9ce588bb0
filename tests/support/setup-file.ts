import { afterAll, afterEach, beforeEach } from "vitest";
import { enterScope, releaseScope } from "./cleanup";

// Registered before any hook of the test file, so these run first on the way in and last on the way out.
beforeEach(() => enterScope("test"));
afterEach(async () => {
  enterScope("file");
  await releaseScope("test");
});
afterAll(() => releaseScope("file"));
