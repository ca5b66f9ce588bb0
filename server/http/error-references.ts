import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { data, type ServerBuild } from "@remix-run/node";
import { requestLogOf, type RequestLog } from "./request-log";

/**
 * What someone who meets an unexpected error sees is a reference, never the error: its message,
 * stack and file paths go to the server log under that reference, so the operator can find them.
 * Every request gets a reference up front (its RequestLog, in the Remix load context); all errors
 * of one request share it, and its access line names it too.
 */

/** The one place an unexpected error is logged: on the request's log (its id, method and path), with its reference. */
export function logUnexpectedError(request: RequestLog, error: unknown): void {
  request.failed = true;
  request.log.error({ errorReference: request.errorReference, err: error }, "unexpected error");
}

/** The body of an error answered by a loader or action: the reference only, in every mode. */
export interface ErrorReferenceData {
  errorReference: string;
}

type Handler = (args: { request: Request; context: { requestLog: RequestLog } }) => unknown;

function referenced(handler: Handler | undefined): Handler | undefined {
  if (!handler) return undefined;
  return async (args) => {
    try {
      return await handler(args);
    } catch (error) {
      // Responses and data() are answers the route chose; an aborted request has nobody to answer.
      if (!(error instanceof Error) || args.request.signal.aborted) throw error;
      const { requestLog } = args.context;
      logUnexpectedError(requestLog, error);
      throw data({ errorReference: requestLog.errorReference } satisfies ErrorReferenceData, { status: 500 });
    }
  };
}

/**
 * The build with every loader and action answering an unexpected error as a 500 that carries its
 * reference. Remix would send such an error to the browser as it is in development mode (stack
 * and paths included, in the page and in `.data` responses), and in production as a bare
 * "Unexpected Server Error" the browser cannot refer to.
 */
export function withErrorReferences(build: ServerBuild): ServerBuild {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const module = route.module as unknown as Record<string, Handler | undefined>;
      return [id, { ...route, module: { ...route.module, loader: referenced(module.loader), action: referenced(module.action) } }];
    }),
  );
  return { ...build, routes } as ServerBuild;
}

/** Errors of Express itself (before Remix): a status and a reference, as plain text. */
export function answerExpressError(error: unknown, _req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
  if (res.headersSent) return next(error);
  const request = requestLogOf(res);
  const status = (error as { status?: number }).status ?? 500;
  logUnexpectedError(request, error);
  res
    .status(status >= 400 && status < 600 ? status : 500)
    .type("text/plain")
    .send(`The request could not be answered. Reference: ${request.errorReference}`);
}
