import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { can } from "../../server/auth/permissions";
import { sightOf } from "../../server/auth/visibility";
import { changeConfidentiality } from "../../server/auth/confidentiality";
import { confidentialityLabels, confidentialityModes, type Confidentiality } from "~/statement/confidentiality";
import { listDocuments } from "../../server/queries/documents";
import { createStatement, zeroDraftName } from "../../server/versions/new-statement";
import { emptyStatement } from "~/statement/empty-statement";
import { maxTitleLength } from "~/statement/limits";
import { ConferenceLayout } from "~/components/ConferenceLayout";
import { CsrfInput, ErrorList, Field, SelectField } from "~/components/forms";
import { readProtectedForm, requireConferencePermission } from "~/utils/auth.server";
import { invalid, parseForm } from "~/utils/forms";
import { describeRole } from "~/statement/people-labels";
import { changeConferenceLanguages } from "../../server/translations/conference-languages";
import { answeringRefusals } from "~/utils/refusals.server";
import { languages } from "~/statement/languages";
import { changeConferenceDetails, changeDocumentSymbol } from "../../server/conference/document-symbols";
import { Refusal } from "../../server/negotiation/refusal";
import {
  distributionLabels,
  distributions,
  documentSymbol,
  maxAddendum,
  maxSymbolPartLength,
  maxSymbolPrefixLength,
  symbolPattern,
  symbolRule,
  type Distribution,
} from "~/statement/document-symbol";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.conference.title} · Concord` : "Concord" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { conference, access } = await requireConferencePermission(request, context, params.conferenceId, "conference:view");
  return {
    conference,
    role: describeRole(access.role, null, access.language),
    canManage: can(access, "conference:manage"),
    sight: sightOf(access, conference),
    documents: await listDocuments(context.sql, conference.id),
  };
}

const createSchema = z.object({
  title: z
    .string({ error: "Give the document a title." })
    .trim()
    .min(1, "Give the document a title.")
    .max(maxTitleLength, `Keep the title under ${maxTitleLength} characters.`),
});

const confidentialitySchema = z.object({
  confidentiality: z.enum(confidentialityModes as [Confidentiality, ...Confidentiality[]], {
    error: "Choose what observers see: standard, open or closed.",
  }),
});

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const optionalDate = (what: string) =>
  z
    .string()
    .trim()
    .default("")
    .refine((v) => v === "" || (isoDate.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))), `Give the ${what} as a date (YYYY-MM-DD).`)
    .transform((v) => v || null);

const detailsSchema = z
  .object({
    venue: z.string().trim().max(200, "Keep the venue under 200 characters.").default(""),
    symbolPrefix: z
      .string()
      .trim()
      .max(maxSymbolPrefixLength, `Keep the symbol prefix under ${maxSymbolPrefixLength} characters.`)
      .refine((v) => v === "" || symbolPattern.test(v), `Write the symbol prefix with ${symbolRule}.`)
      .default(""),
    startsOn: optionalDate("first day"),
    endsOn: optionalDate("last day"),
  })
  .refine((d) => !d.startsOn || !d.endsOn || d.endsOn >= d.startsOn, {
    path: ["endsOn"],
    message: "The last day cannot come before the first.",
  });

const symbolSchema = z.object({
  documentId: z.string({ error: "Choose a statement." }),
  symbol: z
    .string({ error: "Give the statement's part of the symbol, e.g. L.1." })
    .trim()
    .min(1, "Give the statement's part of the symbol, e.g. L.1.")
    .max(maxSymbolPartLength, `Keep the statement's symbol under ${maxSymbolPartLength} characters.`)
    .refine((v) => symbolPattern.test(v), `Write the statement's symbol with ${symbolRule}.`),
  addendum: z
    .string()
    .trim()
    .default("")
    .refine(
      (v) => v === "" || (/^\d{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= maxAddendum),
      `An addendum is numbered 1 to ${maxAddendum}.`,
    )
    .transform((v) => (v ? Number(v) : null)),
  distribution: z.enum(distributions as [Distribution, ...Distribution[]], { error: "Choose the distribution: general or limited." }),
});

/**
 * The secretariat creates a document: an empty statement with one clause in each part, its zero
 * draft; or (intent "confidentiality") sets what observers see of the conference's statements; or
 * (intent "languages") sets its working languages; or
 * (intent "details") the venue, dates and symbol prefix every statement's title block prints; or
 * (intent "symbol") a statement's own part of its symbol, its addendum and its distribution.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { conference, user } = await requireConferencePermission(request, context, params.conferenceId, "conference:manage");
  const form = await readProtectedForm(request, context, user);
  if (form.get("intent") === "languages") {
    return answeringRefusals(invalid, async () => {
      const chosen = form.getAll("languages").map(String);
      await changeConferenceLanguages(context.sql, { conferenceId: conference.id, actorId: user.id, languages: chosen });
      throw redirect(`/conferences/${conference.id}`);
    });
  }
  if (form.get("intent") === "confidentiality") {
    const chosen = parseForm(form, confidentialitySchema);
    if (!chosen.ok) return invalid(chosen);
    await changeConfidentiality(context.sql, { conferenceId: conference.id, actorId: user.id, mode: chosen.data.confidentiality });
    throw redirect(`/conferences/${conference.id}`);
  }
  if (form.get("intent") === "details") {
    const details = parseForm(form, detailsSchema);
    if (!details.ok) return invalid(details);
    await changeConferenceDetails(context.sql, { conferenceId: conference.id, actorId: user.id, details: details.data });
    throw redirect(`/conferences/${conference.id}`);
  }
  if (form.get("intent") === "symbol") {
    const chosen = parseForm(form, symbolSchema);
    if (!chosen.ok) return invalid(chosen);
    const { documentId, ...settings } = chosen.data;
    try {
      await changeDocumentSymbol(context.sql, { conferenceId: conference.id, documentId, actorId: user.id, settings });
    } catch (e) {
      if (e instanceof Refusal) return invalid({ errors: { form: [e.message] }, values: { documentId } }, e.status);
      throw e;
    }
    throw redirect(`/conferences/${conference.id}`);
  }
  const parsed = parseForm(form, createSchema);
  if (!parsed.ok) return invalid(parsed);
  const { title } = parsed.data;
  const document = await context.sql.begin((tx) =>
    createStatement(tx, {
      conferenceId: conference.id,
      title,
      content: emptyStatement(title),
      versionName: zeroDraftName,
      createdBy: user.id,
    }),
  );
  throw redirect(`/documents/${document.id}`);
}

export default function ConferencePage() {
  const { conference, role, canManage, sight, documents } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : {};
  return (
    <ConferenceLayout conference={conference} canManage={canManage} current="documents">
      <p className="role-note">Your role: {role}</p>
      <h2>Documents</h2>
      {sight === "none" ? (
        <p className="confidentiality-note" role="note">
          This conference is in closed session (informal consultations): observers do not see its statements.
        </p>
      ) : (
        <>
          {documents.length === 0 ? <p>No documents yet.</p> : null}
          <ul className="document-list">
            {documents.map((d) => (
              <li key={d.id}>
                <Link to={`/documents/${d.id}`}>{d.title}</Link>{" "}
                {conference.languages.length > 1 ? (
                  <Link to={`/documents/${d.id}/translations`} className="compilation-link" aria-label={`Languages of ${d.title}`}>
                    Languages
                  </Link>
                ) : null}{" "}
                {sight === "negotiation" ? (
                  <Link to={`/documents/${d.id}/compilation`} className="compilation-link" aria-label={`Compilation of ${d.title}`}>
                    Compilation
                  </Link>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
      {canManage ? (
        <section className="card" aria-labelledby="new-doc">
          <h3 id="new-doc">New document</h3>
          <Form method="post" className="form inline-form" noValidate>
            <CsrfInput />
            <Field
              label="Title"
              name="title"
              required
              maxLength={maxTitleLength}
              defaultValue={result?.values?.title}
              errors={errors.title}
            />
            <button type="submit" className="button primary">
              Create document
            </button>
          </Form>
          <p>
            <Link to={`/conferences/${conference.id}/import`}>Start from a Word or Markdown zero draft…</Link>
          </p>
        </section>
      ) : null}
      {canManage ? (
        <section className="card" aria-labelledby="languages-heading">
          <h3 id="languages-heading">Languages</h3>
          <p>The conference&rsquo;s working languages: each statement is translated into them beside its original.</p>
          <Form method="post" className="form" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="languages" />
            <fieldset>
              <legend>Working languages</legend>
              {languages.map((l) => (
                <label key={l.code} className="radio">
                  <input type="checkbox" name="languages" value={l.code} defaultChecked={conference.languages.includes(l.code)} /> {l.name}
                </label>
              ))}
            </fieldset>
            <ErrorList errors={errors.languages ?? errors.form} />
            <button type="submit" className="button">
              Save languages
            </button>
          </Form>
        </section>
      ) : null}
      {canManage ? (
        <section className="card" aria-labelledby="symbols-heading">
          <h3 id="symbols-heading">Document symbols and title block</h3>
          <p>Every exported statement opens with the conference, its venue and dates, the statement&rsquo;s symbol and its distribution.</p>
          <Form method="post" className="form" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="details" />
            <Field label="Venue" name="venue" maxLength={200} defaultValue={conference.venue} errors={errors.venue} />
            <Field label="First day" name="startsOn" type="date" defaultValue={conference.startsOn ?? ""} errors={errors.startsOn} />
            <Field label="Last day" name="endsOn" type="date" defaultValue={conference.endsOn ?? ""} errors={errors.endsOn} />
            <Field
              label="Symbol prefix"
              name="symbolPrefix"
              hint="The first elements of every statement's symbol, e.g. IMAC4/2026."
              maxLength={maxSymbolPrefixLength}
              defaultValue={conference.symbolPrefix}
              errors={errors.symbolPrefix}
            />
            <button type="submit" className="button">
              Save venue, dates and prefix
            </button>
          </Form>
          {documents.map((d) => {
            // The answer to this statement's form, shown next to its fields.
            const own = result?.values?.documentId === d.id ? errors : {};
            return (
              <Form key={d.id} method="post" className="form inline-form" noValidate aria-label={`Symbol of ${d.title}`}>
                <CsrfInput />
                <input type="hidden" name="intent" value="symbol" />
                <input type="hidden" name="documentId" value={d.id} />
                <p>
                  <strong>{d.title}</strong>{" "}
                  {documentSymbol({ prefix: conference.symbolPrefix, part: d.symbol, addendum: d.addendum }) || "(no symbol)"}
                </p>
                <Field label="Symbol" name="symbol" required maxLength={maxSymbolPartLength} defaultValue={d.symbol} errors={own.symbol} />
                <Field label="Addendum" name="addendum" inputMode="numeric" defaultValue={d.addendum ?? ""} errors={own.addendum} />
                <SelectField
                  label="Distribution"
                  name="distribution"
                  defaultValue={d.distribution}
                  errors={own.distribution}
                  options={distributions.map((v) => ({ value: v, label: distributionLabels[v] }))}
                />
                <ErrorList errors={own.form} />
                <button type="submit" className="button">
                  Save symbol
                </button>
              </Form>
            );
          })}
        </section>
      ) : null}
      {canManage ? (
        <section className="card" aria-labelledby="confidentiality-heading">
          <h3 id="confidentiality-heading">Confidentiality</h3>
          <p>
            What observers and the press see of this conference&rsquo;s statements. Delegations, the chair and the secretariat see
            everything.
          </p>
          <Form method="post" className="form" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="confidentiality" />
            <fieldset>
              <legend>Observers see</legend>
              {confidentialityModes.map((mode) => (
                <label key={mode} className="radio">
                  <input type="radio" name="confidentiality" value={mode} defaultChecked={conference.confidentiality === mode} />{" "}
                  {confidentialityLabels[mode]}
                </label>
              ))}
            </fieldset>
            <ErrorList errors={errors.confidentiality} />
            <button type="submit" className="button">
              Save confidentiality
            </button>
          </Form>
        </section>
      ) : null}
    </ConferenceLayout>
  );
}
