import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";
import { logger, type Logger } from "../log";
import type { NamedRequest } from "./routes";

/** One request's part of the log. */
export interface RequestLog {
  /** X-Request-Id: echoed in the response, on every line of the request. */
  id: string;
  /** The request's logger: each line carries the request id, method and path. */
  log: Logger;
  /** What the person is shown, and the log records, if this request meets an unexpected error. */
  errorReference: string;
  /** An unexpected error was logged under the reference: the request's access line names it too. */
  failed: boolean;
}

/** What a proxy's request id may look like to be taken over (nginx's `$request_id`, a UUID, base64). */
const saneRequestId = /^[A-Za-z0-9._:+/=-]{1,128}$/;

/**
 * The request's id: the one a trusted reverse proxy (TRUST_PROXY) sent in X-Request-Id, when it
 * looks like one, so that the proxy's log and this one share it; otherwise a new one.
 */
export function requestIdOf(req: IncomingMessage, trustProxy: boolean): string {
  const given = trustProxy ? req.headers["x-request-id"] : undefined;
  return typeof given === "string" && saneRequestId.test(given) ? given : randomUUID();
}

/** Starts a request's log, with the error reference it would be shown (server/http/error-references.ts); logAnswered writes its access line. */
export function openRequestLog(req: IncomingMessage, named: NamedRequest, trustProxy: boolean): RequestLog {
  const id = requestIdOf(req, trustProxy);
  return {
    id,
    log: logger.child({ reqId: id, method: req.method, path: named.path }),
    errorReference: randomBytes(5).toString("hex"),
    failed: false,
  };
}

/** Routes whose successful requests are logged at debug only: probes and scrapes come every few seconds. */
const quietRoutes = new Set(["/healthz", "/readyz", "/metrics"]);

/** The access line of a request: route, status, duration, and the error reference when it failed. */
export function logAnswered(request: RequestLog, route: string, status: number, seconds: number, extra?: Record<string, unknown>): void {
  const line = {
    route,
    status,
    ms: Math.round(seconds * 10_000) / 10,
    ...(request.failed ? { errorReference: request.errorReference } : {}),
    ...extra,
  };
  if (status < 400 && quietRoutes.has(route)) request.log.debug(line, "request");
  else request.log.info(line, "request");
}

const logs = new WeakMap<ServerResponse, RequestLog>();

/** The log of the request a response answers (every request through the app has one: requestLogging comes first). */
export function requestLogOf(res: ServerResponse): RequestLog {
  const request = logs.get(res);
  if (!request) throw new Error("no request log: requestLogging must come before every other handler");
  return request;
}

/** Once a request is answered (or its client is gone): its route, method, status and duration, for the metrics. */
export type RequestObserver = (method: string, route: string, status: number, seconds: number) => void;

/**
 * The first middleware: gives the request its id (echoed as X-Request-Id) and its log, and writes
 * its access line when the response is done or the client gone. An event stream's line comes
 * when it closes, with how long it was open; such a lifetime is no latency, so it is not observed.
 */
export function requestLogging({
  trustProxy,
  nameRequest,
  observe,
}: {
  trustProxy: boolean;
  nameRequest: (pathname: string) => NamedRequest;
  observe?: RequestObserver;
}) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    const named = nameRequest(req.path);
    const request = openRequestLog(req, named, trustProxy);
    logs.set(res, request);
    res.setHeader("X-Request-Id", request.id);
    res.once("close", () => {
      const seconds = (performance.now() - started) / 1000;
      const stream = String(res.getHeader("content-type") ?? "").startsWith("text/event-stream");
      if (!stream) observe?.(req.method, named.route, res.statusCode, seconds);
      logAnswered(request, named.route, res.statusCode, seconds, res.writableFinished ? undefined : { aborted: true });
    });
    next();
  };
}
