import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { can } from "../../server/auth/permissions";
import { listDocuments } from "../../server/queries/documents";
import { createStatement, zeroDraftName } from "../../server/versions/new-statement";
import { emptyStatement } from "~/statement/empty-statement";
import { maxTitleLength } from "~/statement/limits";
import { ConferenceLayout } from "~/components/ConferenceLayout";
import { CsrfInput, Field } from "~/components/forms";
import { readProtectedForm, requireConferencePermission } from "~/utils/auth.server";
import { invalid, parseForm } from "~/utils/forms";
import { roleLabels } from "~/statement/people-labels";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.conference.title} · Concord` : "Concord" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { conference, access } = await requireConferencePermission(request, context, params.conferenceId, "conference:view");
  return {
    conference,
    role: access.role,
    canManage: can(access, "conference:manage"),
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

/** The secretariat creates a document: an empty statement with one clause in each part, its zero draft. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { conference, user } = await requireConferencePermission(request, context, params.conferenceId, "conference:manage");
  const form = await readProtectedForm(request, context, user);
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
  const { conference, role, canManage, documents } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : {};
  return (
    <ConferenceLayout conference={conference} canManage={canManage} current="documents">
      <p className="role-note">Your role: {roleLabels[role]}</p>
      <h2>Documents</h2>
      {documents.length === 0 ? <p>No documents yet.</p> : null}
      <ul className="document-list">
        {documents.map((d) => (
          <li key={d.id}>
            <Link to={`/documents/${d.id}`}>{d.title}</Link>{" "}
            <Link to={`/documents/${d.id}/compilation`} className="compilation-link" aria-label={`Compilation of ${d.title}`}>
              Compilation
            </Link>
          </li>
        ))}
      </ul>
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
    </ConferenceLayout>
  );
}
