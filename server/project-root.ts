import { fileURLToPath } from "node:url";

/**
 * The project's folder, where `build/` and `db/migrations/` are. This module is one level below
 * it, in `server/`, and so is the production bundle that includes it (`build/server.js`).
 */
export const projectRoot = fileURLToPath(new URL("..", import.meta.url));
