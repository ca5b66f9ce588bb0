import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { changeOriginalLanguage, translationProgress } from "../../server/translations/translations";
import { StatementSubpage } from "~/components/StatementSubpage";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { CsrfInput, ErrorList, SelectField } from "~/components/forms";
import { readProtectedForm, requireDocumentPermission } from "~/utils/auth.server";
import { answeringRefusals } from "~/utils/refusals.server";
import { invalid, parseForm } from "~/utils/forms";
import { languageOf } from "~/statement/languages";
import { invariantResponse } from "~/utils/invariant";

/**
 * A statement's languages: its original, and each of the conference's other languages with its
 * translation's progress at a glance (up to date, out of date, missing), for the secretariat and
 * everyone who reads them. The secretariat sets the original language here.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  return {
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    original: languageOf(document.originalLanguage),
    languages: conference.languages.map(languageOf),
    progress: (await translationProgress(context.sql, conference, document)).map((p) => ({ ...p, language: languageOf(p.language) })),
    canManage: access.role === "secretariat",
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Languages · ${data.document.title} · Concord` : "Concord" },
];

const originalSchema = z.object({ language: z.string({ error: "Choose a language." }).trim().min(1, "Choose a language.").max(10) });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  // Who may act is answered before what they wrote.
  invariantResponse(access.role === "secretariat", "Only the secretariat sets a statement's original language.", { status: 403 });
  const form = await readProtectedForm(request, context, user);
  const parsed = parseForm(form, originalSchema);
  if (!parsed.ok) return invalid(parsed);
  return answeringRefusals(invalid, async () => {
    await changeOriginalLanguage(context.sql, access, conference, document, parsed.data.language);
    throw redirect(`/documents/${document.id}/translations`);
  });
}

export default function LanguagesPage() {
  const { document, conference, original, languages, progress, canManage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : {};
  return (
    <StatementSubpage conference={conference} document={document} title={`${document.title} — languages`} translations>
      <p>
        Original: <strong data-testid="original-language">{original.name}</strong>. Numbering and structure come from the original; each
        clause is translated beside it.
      </p>
      {progress.length === 0 ? (
        <p>This conference works in one language only.</p>
      ) : (
        <table className="translation-progress-table">
          <thead>
            <tr>
              <th scope="col">Language</th>
              <th scope="col">Up to date</th>
              <th scope="col">Out of date</th>
              <th scope="col">Missing</th>
            </tr>
          </thead>
          <tbody>
            {progress.map((p) => {
              const total = p.upToDate + p.outOfDate + p.missing;
              return (
                <tr key={p.language.code} data-language={p.language.code}>
                  <th scope="row">
                    <Link to={`/documents/${document.id}/translations/${p.language.code}`}>{p.language.name}</Link>{" "}
                    <meter min={0} max={total} value={p.upToDate} aria-label={`${p.language.name}: ${p.upToDate} of ${total} up to date`} />
                  </th>
                  <td>{p.upToDate}</td>
                  <td>{p.outOfDate}</td>
                  <td>{p.missing}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {canManage && languages.length > 1 ? (
        <Form method="post" className="form inline-form" noValidate>
          <CsrfInput />
          <SelectField
            label="Original language"
            name="language"
            defaultValue={original.code}
            options={languages.map((l) => ({ value: l.code, label: l.name }))}
            errors={errors.language}
          />
          <button type="submit" className="button">
            Save original language
          </button>
          <ErrorList errors={errors.form} />
        </Form>
      ) : null}
    </StatementSubpage>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
