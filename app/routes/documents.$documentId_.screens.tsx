import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { can } from "../../server/auth/permissions";
import { listScreenTokens, screenAttributions } from "../../server/queries/screens";
import { createScreenToken, revokeScreen, screenSight, setScreenAttributionsOf } from "../../server/screen/screen";
import { StatementSubpage } from "~/components/StatementSubpage";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { CopyField } from "~/components/CopyField";
import { CsrfInput, ErrorList, Field } from "~/components/forms";
import { readProtectedForm, requireDocumentPermission } from "~/utils/auth.server";
import { invalid, parseForm } from "~/utils/forms";
import { answeringRefusals } from "~/utils/refusals.server";
import { invariantResponse } from "~/utils/invariant";
import { useActionAnswer } from "~/negotiation/live";
import { formatUtc } from "~/utils/dates";

/** The statement's plenary screens: projection links made, revoked, and whether the screen names sponsors. For the chair and the secretariat. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "screen:manage");
  const [tokens, attributions] = await Promise.all([
    listScreenTokens(context.sql, document.id),
    screenAttributions(context.sql, document.id),
  ]);
  return {
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    tokens,
    attributions,
    mayShowAttributions: can(access, "negotiation:chair"),
    // What the screen may show follows the conference's confidentiality, as for an observer.
    sight: screenSight(conference),
  };
}

const screensSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    label: z.string().trim().min(1, "Name the screen (e.g. Plenary hall, left screen).").max(100, "Keep it under 100 characters."),
  }),
  z.object({ intent: z.literal("revoke"), tokenId: z.string().trim().min(1).max(100) }),
  z.object({ intent: z.literal("attributions"), shown: z.enum(["1", "0"]) }),
]);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, access, document } = await requireDocumentPermission(request, context, params.documentId, "screen:manage");
  const form = await readProtectedForm(request, context, user);
  // The sponsors on the room's screen are the chair's call, asked before what the form says.
  if (form.get("intent") === "attributions")
    invariantResponse(can(access, "negotiation:chair"), "Only the chair shows or hides attributions on the screen.", { status: 403 });
  const parsed = parseForm(form, screensSchema);
  if (!parsed.ok) return invalid(parsed);
  const input = parsed.data;
  return answeringRefusals(invalid, async () => {
    if (input.intent === "create") {
      const made = await createScreenToken(context.sql, user.id, { documentId: document.id, label: input.label });
      // The link is shown this once: only the token's hash is kept.
      const url = new URL(`/documents/${document.id}/screen`, request.url);
      url.searchParams.set("token", made.token);
      return { ok: true as const, message: `Screen link made for ${input.label}.`, url: url.toString() };
    }
    if (input.intent === "revoke") {
      const label = await revokeScreen(context.sql, user.id, { documentId: document.id, tokenId: input.tokenId });
      return { ok: true as const, message: `The screen link for ${label} is revoked; screens open with it went blank.`, url: null };
    }
    await setScreenAttributionsOf(context.sql, user.id, { documentId: document.id, shown: input.shown === "1" });
    return { ok: true as const, message: input.shown === "1" ? "The screen names sponsors." : "The screen hides sponsors.", url: null };
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Plenary screen · ${data.document.title} · Concord` : "Concord" },
];

export default function ScreensPage() {
  const { document, conference, tokens, attributions, mayShowAttributions, sight } = useLoaderData<typeof loader>();
  const result = useActionAnswer<typeof action>();
  const errors = result && !result.ok ? (result.errors as Record<string, string[] | undefined>) : null;
  const live = tokens.filter((t) => t.revokedAt === null);
  const revoked = tokens.filter((t) => t.revokedAt !== null);
  return (
    <StatementSubpage conference={conference} document={document} title="Plenary screen">
      <section className="panel" aria-labelledby="screens-about">
        <h2 id="screens-about">Projecting {document.title}</h2>
        <p>
          A screen link opens the <strong>plenary screen</strong> without signing in: large type, the chair&apos;s current paragraph
          highlighted, live edits marked against the latest revision. It shows what an observer of this conference sees
          {sight === "negotiation"
            ? " (the text and the submitted proposals)"
            : sight === "text"
              ? " (the base text only)"
              : " (nothing: the conference is in closed session)"}
          , and it cannot change anything. Revoke a link when the laptop leaves the podium.
        </p>
        {result?.ok ? (
          <p role="status" className="success">
            {result.message}
          </p>
        ) : null}
        <ErrorList errors={errors?.form} />
        {result?.ok && result.url ? (
          <CopyField
            label="Screen link (shown this once)"
            value={result.url}
            hint="Open it on the screen's computer. Anyone holding it sees the screen."
          />
        ) : null}
        <Form method="post" className="inline-form">
          <CsrfInput />
          <input type="hidden" name="intent" value="create" />
          <Field label="Screen" name="label" maxLength={100} required errors={errors?.label} placeholder="Plenary hall" />
          <button type="submit" className="button">
            Make a screen link
          </button>
        </Form>
      </section>
      {mayShowAttributions ? (
        <section className="panel" aria-labelledby="screens-attributions">
          <h2 id="screens-attributions">Attributions</h2>
          <p>{attributions ? "The screen names the sponsors of proposals." : "The screen hides who sponsors proposals."}</p>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="attributions" />
            <input type="hidden" name="shown" value={attributions ? "0" : "1"} />
            <button type="submit" className="button">
              {attributions ? "Hide attributions" : "Show attributions"}
            </button>
          </Form>
        </section>
      ) : null}
      <section className="panel" aria-labelledby="screens-links">
        <h2 id="screens-links">Screen links</h2>
        {live.length === 0 ? <p className="muted">No screen link is live.</p> : null}
        <ul className="screen-links">
          {live.map((t) => (
            <li key={t.id} data-testid="screen-link">
              <strong>{t.label}</strong> — made by {t.createdByName}, {formatUtc(t.createdAt)}{" "}
              <Form method="post" className="inline">
                <CsrfInput />
                <input type="hidden" name="intent" value="revoke" />
                <input type="hidden" name="tokenId" value={t.id} />
                <button type="submit" className="button small">
                  Revoke {t.label}
                </button>
              </Form>
            </li>
          ))}
        </ul>
        {revoked.length > 0 ? (
          <>
            <h3>Revoked</h3>
            <ul>
              {revoked.map((t) => (
                <li key={t.id}>
                  {t.label} — revoked by {t.revokedByName}, {formatUtc(t.revokedAt!)}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p>
          <Link to={`/documents/${document.id}/readings`}>Readings of this statement</Link>
        </p>
      </section>
    </StatementSubpage>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
