import type { NextFunction, Request, Response } from "express";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * First line against cross-site request forgery: a browser names the page a request comes from
 * (Origin, or Sec-Fetch-Site), and a write from another site is refused before any route runs.
 * Forms of signed-in people also carry a token (app/utils/auth.server.ts). Scripts, which send
 * neither header, are not browsers and carry no ambient cookies of a victim.
 */
export function rejectCrossSiteWrites(req: Request, res: Response, next: NextFunction) {
  if (safeMethods.has(req.method)) return next();
  const site = req.get("sec-fetch-site");
  const origin = req.get("origin");
  let crossSite = site === "cross-site" || site === "same-site";
  if (!crossSite && origin && origin !== "null") {
    try {
      crossSite = new URL(origin).host !== req.get("host");
    } catch {
      crossSite = true;
    }
  } else if (origin === "null") {
    crossSite = true;
  }
  if (crossSite) {
    res.status(403).type("text/plain").send("Cross-site form submissions are not accepted.");
    return;
  }
  next();
}
