import type { AppLoadContext, UploadHandler } from "@remix-run/node";
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import type { SessionUser } from "../../server/queries/sessions";
import { invariantResponse } from "./invariant";

/** A file upload as read by {@link readProtectedUpload}: the file, or why there is none. */
export type Upload =
  | { ok: true; form: FormData; file: File }
  /** The form asked for something else than the upload it was read for. */
  | { ok: false; problem: "unknown-intent" }
  /** The file is over the limit; the reading stopped there. */
  | { ok: false; problem: "too-large" }
  /** No file was chosen. */
  | { ok: false; problem: "no-file" }
  /** The file chosen has nothing in it. */
  | { ok: false; problem: "empty" };

/**
 * Reads a multipart form of three parts — the anti-forgery token, the intent and the file — as
 * a stream: a file over `maxBytes` stops the reading at the limit (it is never held whole); parts
 * that are not these, or repeated, are read past and dropped. A form that cannot be read is
 * answered 400, a wrong or missing token 403 (the token comes before the file in the form, so it
 * is known even when the file was cut off); everything else is for the route to answer.
 */
export async function readProtectedUpload(
  request: Request,
  context: AppLoadContext,
  user: SessionUser,
  { intent, maxBytes }: { intent: string; maxBytes: number },
): Promise<Upload> {
  const fields = ["csrf", "intent", "file"];
  const seen: Record<string, string> = {};
  const memory = unstable_createMemoryUploadHandler({ maxPartSize: maxBytes });
  const taken = new Set<string>();
  const handler: UploadHandler = async (part) => {
    if (!fields.includes(part.name) || taken.has(part.name)) {
      for await (const _ of part.data);
      return undefined;
    }
    taken.add(part.name);
    const value = await memory(part);
    if (typeof value === "string") seen[part.name] = value;
    return value;
  };
  let form: FormData | null = null;
  let tooLarge = false;
  try {
    form = await unstable_parseMultipartFormData(request, handler);
  } catch (err) {
    if (err instanceof MaxPartSizeExceededError) tooLarge = true;
    else invariantResponse(false, "The form could not be read.", { status: 400 });
  }
  invariantResponse(
    context.auth.verifyCsrf(user.sessionId, form ? form.get("csrf") : seen.csrf),
    "The form has expired. Reload the page and try again.",
    { status: 403 },
  );
  // Only the upload is sent as multipart; anything else that comes this way is not understood.
  if ((form ? form.get("intent") : seen.intent) !== intent) return { ok: false, problem: "unknown-intent" };
  if (tooLarge || !form) return { ok: false, problem: "too-large" };
  const file = form.get("file");
  if (!(file instanceof File) || (file.size === 0 && !file.name)) return { ok: false, problem: "no-file" };
  if (file.size === 0) return { ok: false, problem: "empty" };
  return { ok: true, form, file };
}
