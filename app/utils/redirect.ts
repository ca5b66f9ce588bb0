/**
 * Where to go after sign-in, from a value the client chose: only a path of this origin, else the
 * fallback. Browsers drop tabs and line breaks inside URLs, so "/\t/evil.example" would become
 * "//evil.example" (another site); control characters are removed before the URL is judged, and
 * the URL is judged as the browser will resolve it, against the request's own origin.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, requestUrl: string, fallback = "/"): string {
  if (typeof to !== "string") return fallback;
  // eslint-disable-next-line no-control-regex
  const cleaned = to.replace(/[\u0000-\u001f\u007f]/g, "");
  if (!cleaned.startsWith("/")) return fallback;
  const origin = new URL(requestUrl).origin;
  let resolved: URL;
  try {
    resolved = new URL(cleaned, origin);
  } catch {
    return fallback;
  }
  const path = resolved.pathname + resolved.search + resolved.hash;
  // A path that itself starts with // or /\ would be read as another host once sent back as Location.
  if (resolved.origin !== origin || /^\/[/\\]/.test(path)) return fallback;
  return path;
}
