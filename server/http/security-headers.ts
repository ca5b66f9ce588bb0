import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";
import helmet from "helmet";

/** The nonce of this response's inline scripts (Remix's hydration data and its module loader). */
export function cspNonce(res: ServerResponse): string {
  return (res as Response).locals.cspNonce as string;
}

/** A fresh nonce per response: an injected script cannot guess it. */
export function assignCspNonce(_req: Request, res: Response, next: NextFunction) {
  res.locals.cspNonce = randomBytes(16).toString("base64");
  next();
}

const hostPattern = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The collaboration WebSocket of the page's own host. CSP3 browsers count it as 'self' already;
 * older ones need it named. A Host header that is not a plain host name is left out rather than
 * copied into the policy.
 */
function sameHostWebSockets(req: IncomingMessage): string {
  const host = req.headers.host ?? "";
  return hostPattern.test(host) ? `ws://${host} wss://${host}` : "";
}

/**
 * Security headers on every response (helmet): a Content-Security-Policy that runs only the
 * app's own scripts and inline scripts carrying this response's nonce, forbids framing, and
 * connects only back to this host; no MIME sniffing; no Referer to other sites (invitation links
 * carry a token in their path). HSTS and upgrade-insecure-requests only when the deployment is
 * served over HTTPS (production, or COOKIE_SECURE): over plain HTTP in development they would
 * make the browser refuse the site.
 */
export function securityHeaders({ https }: { https: boolean }) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${cspNonce(res)}'`],
        // Style attributes are set by React (presence colours) and the editor; styles cannot run code.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", sameHostWebSockets],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    xFrameOptions: { action: "deny" },
    referrerPolicy: { policy: "same-origin" },
    strictTransportSecurity: https ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
  });
}
