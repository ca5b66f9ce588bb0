import type { HeadersFunction } from "@remix-run/node";

/** Remix forwards only Set-Cookie from an action unless the route passes other headers on: a throttled form's Retry-After. */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
