import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { createStatement } from "../../server/versions/new-statement";
import { statementContentError } from "../../server/collab/document-models";
import type { SessionUser } from "../../server/queries/sessions";
import { paragraphsFromMarkdown } from "../../server/import/markdown";
import {
  importedLabels,
  importedStatementSchema,
  importPlan,
  recogniseStatement,
  type ImportedClause,
  type ImportedItem,
  type ImportedRun,
  type ImportedStatement,
} from "../../server/import/zero-draft";
import { tableImportedProposals } from "../../server/negotiation/imported-proposals";
import { ConferenceLayout } from "~/components/ConferenceLayout";
import { CsrfInput, ErrorList, Field } from "~/components/forms";
import { readProtectedForm, requireConferencePermission } from "~/utils/auth.server";
import { paragraphsFromDocx, ZipRefused } from "./conferences.$conferenceId.import.server";
import { invalid, parseForm, type FieldErrors } from "~/utils/forms";
import { invariantResponse } from "~/utils/invariant";
import { readProtectedUpload } from "~/utils/upload.server";
import { maxTitleLength } from "~/statement/limits";

/** Largest zero draft accepted; checked while the upload streams in. */
const maxUploadBytes = 5 * 1024 * 1024;
/** The preview's hidden copy of the parsed draft is bounded too (it comes back from the browser). */
const maxPayloadChars = 4 * 1024 * 1024;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Import a zero draft · ${data.conference.title} · Concord` : "Concord" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { conference } = await requireConferencePermission(request, context, params.conferenceId, "conference:manage");
  return { conference };
}

const createSchema = z.object({
  title: z
    .string({ error: "Give the statement a title." })
    .trim()
    .min(1, "Give the statement a title.")
    .max(maxTitleLength, `Keep the title under ${maxTitleLength} characters.`),
  statement: z.string({ error: "The preview is missing. Upload the file again." }).min(2).max(maxPayloadChars, "The preview is too large."),
});

/**
 * Two steps: an upload (multipart) is parsed and shown as a preview, nothing saved; "Create
 * statement" sends the previewed draft back (a hidden field, validated again here as untrusted
 * input) and only then is the statement created.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { conference, user } = await requireConferencePermission(request, context, params.conferenceId, "conference:manage");
  const length = Number(request.headers.get("Content-Length") ?? 0);
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) return previewAction(request, context, user);
  invariantResponse(length <= maxPayloadChars + 64 * 1024, "The form is too large.", { status: 413 });

  const form = await readProtectedForm(request, context, user);
  if (form.get("intent") !== "create") return invalid({ errors: { form: ["Unknown action."] } });
  const parsed = parseForm(form, createSchema);
  if (!parsed.ok) return invalid({ errors: parsed.errors, values: { intent: "create" } });
  let draft: ImportedStatement;
  try {
    const checked = importedStatementSchema.safeParse(JSON.parse(parsed.data.statement));
    if (!checked.success) throw new Error("invalid");
    draft = { ...checked.data, warnings: [] };
  } catch {
    return invalid({ errors: { form: ["The preview could not be read. Upload the file again."] }, values: { intent: "create" } });
  }
  const plan = importPlan({ ...draft, title: parsed.data.title });
  const tooLarge = statementContentError(plan.json);
  if (tooLarge) return invalid({ errors: { form: [`The draft cannot be imported: ${tooLarge}.`] }, values: { intent: "create" } });
  // The imported text is the statement's first version, named after the import; its added clauses
  // and alternatives are proposals recorded with it, in the same transaction.
  const { title } = parsed.data;
  const document = await context.sql.begin(async (tx) => {
    const created = await createStatement(tx, {
      conferenceId: conference.id,
      title,
      content: plan.json,
      versionName: title,
      createdBy: user.id,
    });
    await tableImportedProposals(tx, { conferenceId: conference.id, documentId: created.id, importedBy: user.id, plan, draft });
    return created;
  });
  throw redirect(`/documents/${document.id}`);
}

async function previewAction(request: Request, context: AppLoadContext, user: SessionUser) {
  const upload = await readProtectedUpload(request, context, user, { intent: "preview", maxBytes: maxUploadBytes });
  const values = { intent: "preview" };
  if (!upload.ok) {
    switch (upload.problem) {
      case "unknown-intent":
        return invalid({ errors: { form: ["Unknown action."] } });
      case "too-large":
        return data(
          { ok: false as const, errors: { file: [`The file is larger than ${maxUploadBytes / 1024 / 1024} MB.`] }, values },
          { status: 413 },
        );
      case "no-file":
        return invalid({ errors: { file: ["Choose a Word (.docx) or Markdown (.md) file."] }, values });
      case "empty":
        return invalid({ errors: { file: ["The file is empty."] }, values });
    }
  }
  const { file } = upload;
  const name = file.name.toLowerCase();
  const bytes = Buffer.from(await file.arrayBuffer());
  let draft: ImportedStatement;
  if (name.endsWith(".docx")) {
    // A .docx is a zip archive; anything else is refused before mammoth sees it.
    if (bytes.subarray(0, 4).toString("binary") !== "PK\x03\x04")
      return invalid({ errors: { file: ["This is not a Word (.docx) document."] }, values });
    try {
      draft = recogniseStatement(await paragraphsFromDocx(bytes));
    } catch (err) {
      if (err instanceof ZipRefused) return invalid({ errors: { file: [err.message] }, values });
      return invalid({ errors: { file: ["The Word document could not be read. Save it again from Word as .docx and retry."] }, values });
    }
  } else if (/\.(md|markdown|txt)$/.test(name)) {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return invalid({ errors: { file: ["The file is not UTF-8 text."] }, values });
    }
    draft = recogniseStatement(paragraphsFromMarkdown(text));
  } else {
    return invalid({ errors: { file: ["Only Word (.docx) and Markdown (.md) files can be imported."] }, values });
  }
  if (!draft.preamble.length && !draft.operative.length)
    return invalid({ errors: { file: ["No clauses were found in this file."] }, values });
  const checked = importedStatementSchema.safeParse(draft);
  if (!checked.success) {
    // A rule of the draft itself (an alternative too long for a proposal) is said as such; the rest is size.
    const rule = checked.error.issues.find((i) => i.code === "custom");
    return invalid({ errors: { file: [rule?.message ?? "The draft is too large to import (too many or too long clauses)."] }, values });
  }
  // Held to the statement's own bounds, which every later edit is checked against.
  const beyond = statementContentError(importPlan(draft).json);
  if (beyond) return invalid({ errors: { file: [`The draft cannot be imported: ${beyond}.`] }, values });
  const labels = importedLabels(draft);
  const label = (part: "pp" | "op", i: number) => labels.get((part === "pp" ? draft.preamble : draft.operative)[i])!;
  return {
    ok: true as const,
    intent: "preview" as const,
    fileName: file.name,
    preview: {
      title: draft.title,
      warnings: draft.warnings,
      preamble: draft.preamble.map((c, i) => ({ ...c, label: label("pp", i) })),
      operative: draft.operative.map((c, i) => ({ ...c, label: label("op", i) })),
      alternatives: draft.alternatives.map((a) => ({ ...a, label: label(a.part, a.clause) })),
    },
    payload: JSON.stringify({ ...draft, warnings: [] }),
  };
}

function Runs({ runs }: { runs: ImportedRun[] }) {
  return (
    <>
      {runs.map((r, i) => {
        const text = r.bold ? <strong>{r.text}</strong> : r.text;
        return r.italic ? <em key={i}>{text}</em> : <span key={i}>{text}</span>;
      })}
    </>
  );
}

function ClauseText({ clause }: { clause: Pick<ImportedClause, "runs" | "items"> }) {
  return (
    <>
      <Runs runs={clause.runs} />
      {clause.items.length ? (
        <ul>
          {clause.items.map((item: ImportedItem, i) => (
            <li key={i}>
              <Runs runs={item.runs} />
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/** A clause of the preview with its label, an added one marked as such, and the alternatives to it after it. */
function PreviewClause({
  clause,
  alternatives,
}: {
  clause: Pick<ImportedClause, "runs" | "items" | "added"> & { label: string };
  alternatives: { runs: ImportedRun[]; items: ImportedItem[]; label: string }[];
}) {
  return (
    <li className={clause.added ? "import-added" : undefined}>
      <strong className="clause-label">{clause.label}</strong>{" "}
      {clause.added ? <span className="hint">(added clause, provisional) </span> : null}
      <ClauseText clause={clause} />
      {alternatives.map((a, i) => (
        <div key={i} className="import-alternative">
          <strong>{alternatives.length > 1 ? `${a.label} alt ${i + 1}` : `${a.label} alt`}</strong>{" "}
          <span className="hint">(alternative, to be tabled in the chair&apos;s name)</span> <ClauseText clause={a} />
        </div>
      ))}
    </li>
  );
}

export default function ImportPage() {
  const { conference } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failure = result && !result.ok ? result : null;
  const preview = result && result.ok ? result : null;
  const errors: FieldErrors = failure?.errors ?? {};
  return (
    <ConferenceLayout conference={conference} canManage current="documents">
      <h2>Import a zero draft</h2>
      <section className="card" aria-labelledby="upload-heading">
        <h3 id="upload-heading">Upload</h3>
        <p className="hint">
          A Word (.docx) or Markdown (.md) file of up to {maxUploadBytes / 1024 / 1024} MB. The headings “Preamble” and “Operative part”
          start the parts; without them, numbered paragraphs become operative clauses and the unnumbered paragraphs before the first of them
          preambular clauses. “2 bis.” is a clause added after OP2, and “5 alt.” an alternative to OP5 tabled in the chair&apos;s name.
          Nothing is saved until you confirm the preview.
        </p>
        <Form method="post" encType="multipart/form-data" className="form" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="preview" />
          <div className="field">
            <label htmlFor="import-file">File</label>
            <input
              id="import-file"
              type="file"
              name="file"
              accept=".docx,.md,.markdown,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/markdown"
              aria-invalid={errors.file ? true : undefined}
              aria-describedby={errors.file ? "import-file-errors" : undefined}
            />
            <ErrorList id="import-file-errors" errors={errors.file} />
          </div>
          <ErrorList id="import-form-errors" errors={failure?.values.intent === "create" ? undefined : errors.form} />
          <button type="submit" className="button" disabled={busy}>
            Preview
          </button>
        </Form>
      </section>
      {failure?.values.intent === "create" ? (
        <ErrorList id="create-errors" errors={[...(errors.form ?? []), ...(errors.title ?? []), ...(errors.statement ?? [])]} />
      ) : null}
      {preview ? (
        <section className="card import-preview" aria-labelledby="preview-heading">
          <h3 id="preview-heading">Preview of {preview.fileName}</h3>
          {preview.preview.warnings.length ? (
            <ul className="import-warnings" role="status">
              {preview.preview.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
          <h4>Preambular part ({preview.preview.preamble.length})</h4>
          <ul className="pp-list" aria-label="Preambular clauses">
            {preview.preview.preamble.map((c, i) => (
              <PreviewClause
                key={i}
                clause={c}
                alternatives={preview.preview.alternatives.filter((a) => a.part === "pp" && a.clause === i)}
              />
            ))}
          </ul>
          <h4>Operative part ({preview.preview.operative.length})</h4>
          <ul className="pp-list" aria-label="Operative clauses">
            {preview.preview.operative.map((c, i) => (
              <PreviewClause
                key={i}
                clause={c}
                alternatives={preview.preview.alternatives.filter((a) => a.part === "op" && a.clause === i)}
              />
            ))}
          </ul>
          <Form method="post" className="form" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="create" />
            <input type="hidden" name="statement" value={preview.payload} />
            <Field label="Title" name="title" required maxLength={maxTitleLength} defaultValue={preview.preview.title} />
            <button type="submit" className="button primary" disabled={busy}>
              Create statement
            </button>
          </Form>
        </section>
      ) : null}
    </ConferenceLayout>
  );
}
