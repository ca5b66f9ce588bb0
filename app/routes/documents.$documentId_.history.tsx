import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { z } from "zod";
import { can } from "../../server/auth/permissions";
import { maySeeNegotiation } from "../../server/auth/visibility";
import { textLocks } from "../../server/queries/clause-states";
import { listVersions, type VersionSummary } from "../../server/queries/versions";
import { createRevision } from "../../server/versions/capture";
import { restoreVersion } from "../../server/versions/restore";
import { actorOf } from "../../server/negotiation/actor";
import { StatementSubpage } from "~/components/StatementSubpage";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { CsrfInput, ErrorList, Field } from "~/components/forms";
import { readProtectedForm, requireDocumentPermission } from "~/utils/auth.server";
import { invalid, parseForm } from "~/utils/forms";
import { answeringRefusals } from "~/utils/refusals.server";
import { formatUtc } from "~/utils/dates";
import { versionLabel } from "~/statement/version-labels";
import { RestoreDialog } from "~/versions/RestoreDialog";
import { maxVersionNameLength } from "~/statement/limits";
import { beforeRestoringName, restoreConfirmation } from "~/statement/restore-names";
import { useActionAnswer } from "~/negotiation/live";

/**
 * A statement's versions, for every member: named revisions and restores, with the automatic
 * checkpoints between them folded. Revisions are saved by the chair and the secretariat (the
 * pen holders, document:write); restoring is the chair's decision (negotiation:chair), as it
 * also sets clause states back.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const [versions, locks] = await Promise.all([listVersions(context.sql, document.id), textLocks(context.sql, document.id)]);
  return {
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    canCreate: can(access, "document:write"),
    canRestore: can(access, "negotiation:chair"),
    locked: locks.whole,
    versions: versions.map((v) => ({
      id: v.id,
      number: v.number,
      kind: v.kind,
      label: versionLabel(v),
      by: v.createdByName,
      at: v.createdAt.toISOString(),
      // Which proposal a checkpoint followed is the negotiation's.
      proposalNumber: maySeeNegotiation(access, conference) ? v.proposalNumber : null,
      restoredFromNumber: v.restoredFromNumber,
    })),
  };
}

const createSchema = z.object({
  name: z
    .string({ error: "Name the revision." })
    .trim()
    .min(1, "Name the revision, e.g. “Rev.1”.")
    .max(maxVersionNameLength, `Keep the name under ${maxVersionNameLength} characters.`),
});
const restoreSchema = z.object({ versionId: z.string({ error: "Choose a version." }).trim().min(1, "Choose a version.").max(100) });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, access, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const form = await readProtectedForm(request, context, user);
  const intent = form.get("intent");
  if (intent === "create") {
    if (!can(access, "document:write")) throw data("Only the chair and the secretariat save revisions.", { status: 403 });
    const parsed = parseForm(form, createSchema);
    if (!parsed.ok) return invalid(parsed);
    const created = await createRevision(context.sql, actorOf(access), { documentId: document.id, name: parsed.data.name });
    return { ok: true as const, message: `Saved “${parsed.data.name}” (version ${created.number}).`, versionId: created.id };
  }
  if (intent === "restore") {
    if (!can(access, "negotiation:chair")) throw data("Only the chair restores a version.", { status: 403 });
    const parsed = parseForm(form, restoreSchema);
    if (!parsed.ok) return invalid(parsed);
    // A restore replaces everyone's text: only done once the chair has confirmed it in the dialog.
    if (form.get("confirm") !== restoreConfirmation) {
      return invalid({ errors: { form: ["Confirm the restore first: the dialog says where the current text will be kept."] } });
    }
    return answeringRefusals(invalid, async () => {
      const restored = await restoreVersion(context.sql, context.collab, actorOf(access), {
        documentId: document.id,
        versionId: parsed.data.versionId,
      });
      return {
        ok: true as const,
        message: `${restored.label}: the statement now reads as it did. The text it replaced is kept as “${restored.kept}”.`,
        versionId: restored.id,
      };
    });
  }
  return invalid({ errors: { form: ["Unknown action."] } });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `History · ${data.document.title} · Concord` : "Concord" }];

type Version = ReturnType<typeof useLoaderData<typeof loader>>["versions"][number];

/** Named revisions and restores stand alone; each run of checkpoints between them is one folded group. */
function grouped(versions: Version[]): (Version | Version[])[] {
  const out: (Version | Version[])[] = [];
  for (const v of versions) {
    const last = out[out.length - 1];
    if (v.kind !== "checkpoint") out.push(v);
    else if (Array.isArray(last)) last.push(v);
    else out.push([v]);
  }
  return out;
}

const kindLabels: Record<VersionSummary["kind"], string> = { named: "Revision", checkpoint: "Checkpoint", restore: "Restore" };

export default function HistoryPage() {
  const { document, conference, versions, canCreate, canRestore, locked } = useLoaderData<typeof loader>();
  const result = useActionAnswer<typeof action>();
  const navigation = useNavigation();
  const errors = result && !result.ok ? (result.errors as Record<string, string[] | undefined>) : null;
  const busy = navigation.state !== "idle";
  const [confirming, setConfirming] = useState<Version | null>(null);
  // Once the restore is answered (done or refused), the dialog has served.
  useEffect(() => setConfirming(null), [result]);

  const row = (v: Version) => (
    <li key={v.id} className={`version version-${v.kind}`} data-version-id={v.id} data-version={v.label}>
      <div className="version-head">
        <span className="version-kind">{kindLabels[v.kind]}</span> <strong className="version-label">{v.label}</strong>
        {v.proposalNumber ? <span className="version-note"> after P{v.proposalNumber} was accepted</span> : null}
        {v.restoredFromNumber ? <span className="version-note"> (version {v.restoredFromNumber} brought back)</span> : null}
        <span className="version-meta">
          {" "}
          · {v.by ?? "automatic"} · <time dateTime={v.at}>{formatUtc(v.at)}</time>
        </span>
      </div>
      <div className="version-actions">
        <Link to={`/documents/${document.id}/versions/${v.id}`}>Open</Link>
        <Link to={`/documents/${document.id}/redline?from=${v.id}&to=current`}>Changes since</Link>
        <a href={`/documents/${document.id}/export?format=docx&version=${v.id}`}>Word</a>
        {canRestore && !locked ? (
          <button
            type="button"
            className="button small"
            disabled={busy}
            aria-label={`Restore ${v.label}`}
            aria-haspopup="dialog"
            title={`The current text will be kept as “${beforeRestoringName(v.label)}”`}
            onClick={() => setConfirming(v)}
          >
            Restore
          </button>
        ) : null}
      </div>
    </li>
  );

  return (
    <StatementSubpage
      conference={conference}
      document={document}
      title={`History: ${document.title}`}
      mainClassName="history"
      after={confirming ? <RestoreDialog version={confirming} busy={busy} onCancel={() => setConfirming(null)} /> : null}
    >
      {result?.ok ? (
        <p role="status" className="form-success">
          {result.message}
        </p>
      ) : null}
      <ErrorList errors={errors?.form} />
      {canCreate ? (
        <Form method="post" className="revision-form" aria-labelledby="revision-heading">
          <h2 id="revision-heading">Save a revision</h2>
          <CsrfInput />
          <input type="hidden" name="intent" value="create" />
          <Field label="Name" name="name" placeholder="Rev.1" maxLength={maxVersionNameLength} required errors={errors?.name} />
          <button type="submit" className="button primary" disabled={busy}>
            Save the current text as a revision
          </button>
        </Form>
      ) : null}
      {locked && canRestore ? (
        <p className="muted">
          {locked === "adopted" ? "The text is adopted" : "A silence procedure is running"}: no version can be restored.
        </p>
      ) : null}
      <Form method="get" action={`/documents/${document.id}/redline`} className="compare-form" aria-labelledby="compare-heading">
        <h2 id="compare-heading">Compare two versions</h2>
        <label htmlFor="compare-from">From</label>
        <select id="compare-from" name="from" defaultValue={versions[0]?.id ?? "current"}>
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              {v.number}. {v.label}
            </option>
          ))}
          <option value="current">Current text</option>
        </select>
        <label htmlFor="compare-to">To</label>
        <select id="compare-to" name="to" defaultValue="current">
          <option value="current">Current text</option>
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              {v.number}. {v.label}
            </option>
          ))}
        </select>
        <button type="submit" className="button">
          Show the changes
        </button>
      </Form>
      <h2>Versions</h2>
      {versions.length === 0 ? <p className="muted">No versions yet.</p> : null}
      <ol className="version-list" reversed>
        {grouped(versions).map((g) =>
          Array.isArray(g) ? (
            <li key={`group-${g[0].id}`} className="checkpoint-group">
              <details>
                <summary>
                  {g.length} automatic checkpoint{g.length === 1 ? "" : "s"}
                </summary>
                <ol className="version-list">{g.map(row)}</ol>
              </details>
            </li>
          ) : (
            row(g)
          ),
        )}
      </ol>
    </StatementSubpage>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
