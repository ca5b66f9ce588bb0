import type { ServerBuild } from "@remix-run/node";

/** What the log and the metrics call a request: its route's pattern, and its path with any token in it hidden. */
export interface NamedRequest {
  /** `/documents/:documentId/screen`; `unmatched` for a path no route serves, so that scans add no label values. */
  route: string;
  /** The path as requested, without its query (a screen's token travels in it), and with `:token` for a token segment. */
  path: string;
}

interface Pattern {
  route: string;
  segments: string[];
  /** Ends in `*`: matches any rest of the path. */
  splat: boolean;
  /** Static segments: a path two patterns match is named after the more specific. */
  statics: number;
}

/** A route parameter whose value is a secret (an invitation's token, a password reset's): never written out. */
const secretParameter = /token/i;
const longestLoggedPath = 300;

/** Every path pattern of the Remix app, nested routes joined to their parents' (`documents/:documentId` + `adoption`). */
export function remixRoutePatterns(routes: ServerBuild["routes"]): string[] {
  const fullPath = (id: string | undefined): string[] => {
    const route = id ? routes[id] : undefined;
    if (!route) return [];
    return [...fullPath(route.parentId), ...(route.path ?? "").split("/").filter(Boolean)];
  };
  return Object.keys(routes).map((id) => `/${fullPath(id).join("/")}`);
}

/** A pattern with optional segments (`:lang?`) as every pattern it stands for. */
function expand(segments: string[]): string[][] {
  const [first, ...rest] = segments;
  if (first === undefined) return [[]];
  const tails = expand(rest);
  if (!first.endsWith("?")) return tails.map((t) => [first, ...t]);
  const bare = first.slice(0, -1);
  return [...tails.map((t) => [bare, ...t]), ...tails];
}

/**
 * Names requests by the patterns of the routes that serve them (the Remix app's and the server's
 * own, Express style), ignoring the `.data` suffix of Remix's data requests, which are named
 * `<pattern>.data`.
 */
export function requestNamer(patterns: string[]): (pathname: string) => NamedRequest {
  const compiled: Pattern[] = [];
  const seen = new Set<string>();
  for (const pattern of patterns) {
    for (const segments of expand(pattern.split("/").filter(Boolean))) {
      const route = `/${segments.join("/")}`;
      if (seen.has(route)) continue;
      seen.add(route);
      const splat = segments[segments.length - 1] === "*";
      compiled.push({ route, segments, splat, statics: segments.filter((s) => !s.startsWith(":") && s !== "*").length });
    }
  }

  function match(parts: string[]): Pattern | null {
    let best: Pattern | null = null;
    for (const p of compiled) {
      const fixed = p.splat ? p.segments.length - 1 : p.segments.length;
      if (p.splat ? parts.length < fixed : parts.length !== fixed) continue;
      let ok = true;
      for (let i = 0; i < fixed && ok; i++) {
        const s = p.segments[i];
        ok = s.startsWith(":") || s.toLowerCase() === parts[i].toLowerCase();
      }
      if (ok && (!best || p.statics > best.statics || (p.statics === best.statics && !p.splat && best.splat))) best = p;
    }
    return best;
  }

  return (pathname) => {
    const data = pathname.endsWith(".data");
    const bare = data ? pathname.slice(0, -".data".length).replace(/^\/_root$/, "/") : pathname;
    const parts = bare.split("/").filter(Boolean);
    const found = match(parts);
    if (!found) return { route: "unmatched", path: pathname.slice(0, longestLoggedPath) };
    const shown = parts.map((part, i) => {
      const segment = found.segments[i];
      return segment?.startsWith(":") && secretParameter.test(segment) ? segment : part;
    });
    const path = `/${shown.join("/")}`;
    // The root's data request is Remix's `/_root.data`.
    const withSuffix = (p: string) => (!data ? p : p === "/" ? "/_root.data" : `${p}.data`);
    return { route: withSuffix(found.route), path: withSuffix(path).slice(0, longestLoggedPath) };
  };
}
