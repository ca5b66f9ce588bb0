import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { logUnexpectedError } from "../server/http/error-references";
import { ServerRenderContext } from "./utils/server-render";

const abortDelay = 5_000;

/**
 * Remix's own node entry, with this response's CSP nonce on every inline script (React's and
 * Remix's) and the request's error reference given to the error boundary.
 */
export default function handleRequest(
  request: Request,
  status: number,
  headers: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const waitForAll = isbot(request.headers.get("user-agent")) || remixContext.isSpaMode;
  const { cspNonce: nonce, requestLog } = loadContext;
  const { errorReference } = requestLog;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = new PassThrough();
      headers.set("Content-Type", "text/html");
      resolve(new Response(createReadableStreamFromReadable(body), { headers, status }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <ServerRenderContext.Provider value={{ nonce, errorReference }}>
        <RemixServer context={remixContext} url={request.url} abortDelay={abortDelay} nonce={nonce} />
      </ServerRenderContext.Provider>,
      {
        nonce,
        // Crawlers get the whole page at once; browsers get it streamed.
        onShellReady: waitForAll ? undefined : ready,
        onAllReady: waitForAll ? ready : undefined,
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          status = 500;
          // Errors before the shell reject and reach handleError; later ones are logged here.
          if (shellRendered) logUnexpectedError(requestLog, error);
        },
      },
    );
    setTimeout(abort, abortDelay);
  });
}

/** Unexpected errors Remix meets (rendering, its own); loaders' and actions' are logged where they are caught (server/http/error-references.ts). */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  // A URL that matches no route (404) or a method a route does not take (405) is no fault.
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return;
  logUnexpectedError(context.requestLog, error);
};
