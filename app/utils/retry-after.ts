import type { HeadersFunction } from "@remix-run/node";

/** Remix forwards only Set-Cookie from a loader or an action unless the route passes other headers on: a throttled request's Retry-After. */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After") ?? loaderHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
