import type { AppLoadContext } from "@remix-run/node";

/** The origin links handed to people are built on: PUBLIC_URL when set, else the request's own. */
export const publicOrigin = (request: Request, context: AppLoadContext): string => context.config.PUBLIC_URL ?? new URL(request.url).origin;
