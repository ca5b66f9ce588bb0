import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { z } from "zod";
import { currentStatement } from "../../server/negotiation/numbering";
import { findDelegation } from "../../server/queries/delegations";
import {
  assertMayTranslate,
  confirmUpToDate,
  mayTranslate,
  progressOf,
  readTranslation,
  startTranslation,
  targetLanguages,
} from "../../server/translations/translations";
import { StatementSubpage } from "~/components/StatementSubpage";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { CsrfInput, ErrorList } from "~/components/forms";
import { ProposalEditor } from "~/negotiation/ProposalEditor";
import { DiffSegments } from "~/negotiation/WordDiff";
import { ClauseBody } from "~/versions/StatementText";
import { readProtectedForm, requireDocumentPermission } from "~/utils/auth.server";
import { answeringRefusals } from "~/utils/refusals.server";
import { parseForm } from "~/utils/forms";
import { done, refused } from "~/utils/resource-responses";
import { invariantResponse } from "~/utils/invariant";
import { colorFor } from "~/statement/presence-colors";
import { languageOf } from "~/statement/languages";
import { translationStatusLabels } from "~/statement/translation-labels";

/**
 * The statement side by side with its translation into one language: the original's clauses as
 * numbered, each beside its translation and that translation's status. The language's translators
 * (and the secretariat) write a clause's translation live, together, in its own editor; everyone
 * who sees the statement reads it. A page of its own, outside the statement page (`$documentId_`).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const code = params.language ?? "";
  const targets = targetLanguages(conference, document);
  invariantResponse(targets.includes(code), "This statement is not translated into that language.", { status: 404 });
  const [original, delegation] = await Promise.all([
    currentStatement(context.sql, document.id),
    access.delegationId ? findDelegation(context.sql, conference.id, access.delegationId) : null,
  ]);
  const units = await readTranslation(context.sql, original, document.id, code);
  return {
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    language: languageOf(code),
    original: languageOf(document.originalLanguage),
    others: targets.filter((l) => l !== code).map(languageOf),
    units: units.map(({ text: _text, ...u }) => u),
    progress: progressOf(code, units),
    mayWrite: mayTranslate(access, code),
    me: { id: user.id, name: delegation ? `${user.name} (${delegation.code})` : user.name, color: colorFor(user.id) },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.language.name} · ${data.document.title} · Concord` : "Concord" },
];

const unitSchema = z.object({
  intent: z.enum(["start", "confirm"], { error: "Unknown action." }),
  key: z.string({ error: "Choose a clause." }).trim().min(1, "Choose a clause.").max(100),
});

/** Starts a clause's translation, or confirms it matches the original as it is now (rules: server/translations/translations.ts). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const language = params.language ?? "";
  // Who may act is answered before what they wrote; the rules answer the same again.
  return answeringRefusals(refused, async () => {
    assertMayTranslate(conference, document, access, language);
    const form = await readProtectedForm(request, context, user);
    const parsed = parseForm(form, unitSchema);
    if (!parsed.ok) return refused(parsed);
    const { intent, key } = parsed.data;
    if (intent === "start") {
      await startTranslation(context.sql, access, conference, document, language, key);
      return done({ message: "Translation started.", started: key });
    }
    await confirmUpToDate(context.sql, access, conference, document, language, key);
    return done({ message: "Marked up to date." });
  });
}

type Unit = ReturnType<typeof useLoaderData<typeof loader>>["units"][number];

export default function TranslationPage() {
  const { document, conference, language, original, others, units, progress, mayWrite, me } = useLoaderData<typeof loader>();
  const [editing, setEditing] = useState<string | null>(null);
  const user = { name: me.name, color: me.color };
  return (
    <StatementSubpage conference={conference} document={document} title={`${document.title} — ${language.name}`} translations>
      <nav className="translation-nav" aria-label="Languages">
        <Link to={`/documents/${document.id}/translations`}>All languages</Link>
        {others.map((l) => (
          <Link key={l.code} to={`/documents/${document.id}/translations/${l.code}`} lang={l.code}>
            {l.native}
          </Link>
        ))}
      </nav>
      <p className="translation-progress" data-testid="translation-progress">
        {progress.upToDate} up to date, {progress.outOfDate} out of date, {progress.missing} missing
      </p>
      <div className="translation-grid" role="table" aria-label={`${original.name} and ${language.name}`}>
        <div role="row" className="translation-row translation-head">
          <span role="columnheader">Original ({original.name})</span>
          <span role="columnheader">{language.name}</span>
        </div>
        {units.map((unit) => (
          <UnitRow
            key={unit.key}
            unit={unit}
            language={language}
            mayWrite={mayWrite}
            editing={editing === unit.key}
            onEdit={(on) => setEditing(on ? unit.key : null)}
            userId={me.id}
            user={user}
          />
        ))}
      </div>
    </StatementSubpage>
  );
}

function UnitRow({
  unit,
  language,
  mayWrite,
  editing,
  onEdit,
  userId,
  user,
}: {
  unit: Unit;
  language: { code: string; name: string; rtl: boolean };
  mayWrite: boolean;
  editing: boolean;
  onEdit: (on: boolean) => void;
  userId: string;
  user: { name: string; color: string };
}) {
  const fetcher = useFetcher<{ ok: boolean; started?: string; errors?: Record<string, string[]> }>();
  const started = fetcher.data?.started === unit.key;
  // A translation just started opens in its editor once the page has its drafting document.
  useEffect(() => {
    if (started && unit.translation && fetcher.state === "idle") onEdit(true);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the started translation arrives
  }, [started, unit.translation?.textDocumentId, fetcher.state]);
  const onText = useCallback(() => undefined, []);
  const status = unit.status;
  return (
    <div role="row" className={`translation-row status-${status}`} data-key={unit.key} aria-label={unit.label}>
      <div role="cell" className="translation-original">
        <span className="clause-ref">{unit.label}</span>
        <ClauseBody content={unit.content} />
      </div>
      <div role="cell" className="translation-target" lang={language.code} dir={language.rtl ? "rtl" : "ltr"}>
        <span className={`translation-status status-${status}`} data-testid="translation-status" dir="ltr">
          {translationStatusLabels[status]}
        </span>
        {unit.changes ? (
          <div className="translation-changes" dir="ltr" lang="">
            <span className="hint">The original changed since this was translated:</span> <DiffSegments segments={unit.changes} />
          </div>
        ) : null}
        {editing && unit.translation ? (
          <ProposalEditor
            textDocumentId={unit.translation.textDocumentId}
            userId={userId}
            user={user}
            label={`${language.name} translation of ${unit.label}`}
            onText={onText}
          />
        ) : unit.translation ? (
          <div className="translation-text">
            <ClauseBody content={unit.translation.content} />
          </div>
        ) : null}
        {mayWrite ? (
          <fetcher.Form method="post" className="translation-actions" dir="ltr">
            <CsrfInput />
            <input type="hidden" name="key" value={unit.key} />
            {!unit.translation ? (
              <button type="submit" name="intent" value="start" className="button">
                Translate {unit.label}
              </button>
            ) : editing ? (
              <button type="button" className="button" onClick={() => onEdit(false)}>
                Done
              </button>
            ) : (
              <button type="button" className="button" onClick={() => onEdit(true)}>
                Edit {unit.label}
              </button>
            )}
            {status === "out_of_date" ? (
              <button type="submit" name="intent" value="confirm" className="button">
                Mark {unit.label} up to date
              </button>
            ) : null}
            <ErrorList errors={fetcher.data?.ok === false ? Object.values(fetcher.data.errors ?? {}).flat() : null} />
          </fetcher.Form>
        ) : null}
      </div>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
