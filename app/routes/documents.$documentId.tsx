import { useCallback, useEffect, useMemo, useState } from "react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { can } from "../../server/auth/permissions";
import { findDelegation } from "../../server/queries/delegations";
import { connectStatement, type CollabStatus, type StatementConnection } from "../editor/collab-client";
import { StatementEditor } from "../editor/StatementEditor";
import { ConnectionBadge } from "../editor/ConnectionBadge";
import { colorFor } from "../editor/identity";
import { AppHeader } from "../components/AppHeader";
import { GeneralErrorBoundary } from "../components/GeneralErrorBoundary";
import { readProtectedForm, requireDocumentPermission } from "../utils/auth.server";
import { roleLabels } from "../utils/labels";
import { currentClauseStates, textLocks } from "../../server/queries/clause-states";
import { useLiveUpdates } from "../negotiation/live";
import { LiveNotices } from "../negotiation/LiveNotices";
import { ProposalsSection } from "../negotiation/ProposalsSection";
import { actorOf, answeringRefusals } from "../negotiation/proposals.server";
import { visibleProposals } from "../../server/negotiation/proposal-views";
import { assertMayPropose, createProposal } from "../../server/negotiation/proposals";
import { proposalKinds, type ProposalKind } from "../../server/queries/proposals";
import { invalid, parseForm } from "../utils/forms";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const delegation = access.delegationId ? await findDelegation(context.sql, conference.id, access.delegationId) : null;
  const { proposals, clauses } = await visibleProposals(context.sql, document.id, actorOf(access));
  return {
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    me: {
      // Presence shows whom a delegate speaks for.
      name: delegation ? `${user.name} (${delegation.code})` : user.name,
      color: colorFor(user.id),
      role: roleLabels[access.role],
    },
    canWrite: can(access, "document:write"),
    isChair: can(access, "negotiation:chair"),
    delegationId: access.delegationId,
    states: Object.fromEntries(await currentClauseStates(context.sql, document.id)),
    locks: await textLocks(context.sql, document.id).then((l) => ({ whole: l.whole, clauses: [...l.clauses] })),
    proposals,
    clauseLabels: Object.fromEntries(clauses.filter((c) => c.id).map((c) => [c.id!, c.label])),
  };
}

const proposeSchema = z.object({
  intent: z.enum(["propose", "compromise"]),
  kind: z.enum(proposalKinds as [ProposalKind, ...ProposalKind[]], { error: "Choose what the proposal does." }),
  clauseId: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || null),
  part: z.enum(["pp", "op"]).optional(),
});

/** A delegate proposes for their delegation (the form names no delegation); the chair writes a compromise. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const form = await readProtectedForm(request, context, user);
  // Who may propose at all is answered before what they wrote.
  const allowed = await answeringRefusals(async () => assertMayPropose(actorOf(access), form.get("intent") === "compromise"));
  if (!allowed.ok) return allowed.response;
  const parsed = parseForm(form, proposeSchema);
  if (!parsed.ok) return invalid(parsed);
  const { intent, kind, clauseId, part } = parsed.data;
  const created = await answeringRefusals(() =>
    createProposal(context.sql, actorOf(access), {
      documentId: document.id,
      conferenceId: conference.id,
      kind,
      clauseId,
      part: part ?? null,
      compromise: intent === "compromise",
    })
  );
  if (!created.ok) return created.response;
  return redirect(`/documents/${document.id}/proposals/${created.value.id}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.document.title} · ${data.conference.title} · Concord` : "Concord" },
];

export default function DocumentPage() {
  const { document, conference, me, canWrite, isChair, delegationId, proposals, clauseLabels } = useLoaderData<typeof loader>();
  const notices = useLiveUpdates(document.id);
  const [clauseId, setClauseId] = useState<string | null>(null);
  const onCurrentClause = useCallback((id: string | null) => {
    // Leaving the text (e.g. for the side panel) keeps the clause the person was on.
    if (id) setClauseId(id);
  }, []);
  const [connection, setConnection] = useState<StatementConnection | null>(null);
  const [status, setStatus] = useState<CollabStatus>({
    connection: "connecting",
    unsaved: false,
    readOnly: !canWrite,
    refused: false,
    ended: null,
    savingPaused: false,
  });
  // A new generation opens a fresh copy of the document, dropping local edits the server refused.
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (status.refused) setGeneration((g) => g + 1);
  }, [status.refused]);

  useEffect(() => {
    const c = connectStatement(document.id, { readOnly: !canWrite });
    setConnection(c);
    setStatus(c.status());
    const off = c.onStatus(setStatus);
    return () => {
      off();
      c.destroy();
      setConnection(null);
    };
  }, [document.id, canWrite, generation]);

  const user = useMemo(() => ({ name: me.name, color: me.color }), [me.name, me.color]);

  return (
    <div className="page">
      <AppHeader>
        <Link to={`/conferences/${conference.id}`} className="conference">
          {conference.title}
        </Link>
        <h1 className="document-title">{document.title}</h1>
      </AppHeader>
      <LiveNotices notices={notices} />
      <div className="status-bar">
        <ConnectionBadge status={status} />
        <span className="role-note">Your role: {me.role}</span>
      </div>
      <main id="main">
        {connection ? (
          <StatementEditor
            connection={connection}
            user={user}
            readOnly={status.readOnly}
            onCurrentClause={onCurrentClause}
            panel={
              <section className="panel clause-panel" aria-labelledby="clause-panel-heading" data-clause-id={clauseId ?? undefined}>
                <h2 id="clause-panel-heading">{clauseId ? "This clause" : "Clause"}</h2>
                {clauseId ? (
                  <ProposalsSection
                    documentId={document.id}
                    clauseId={clauseId}
                    clauseLabel={clauseLabels[clauseId] ?? null}
                    proposals={proposals}
                    canPropose={delegationId !== null}
                    isChair={isChair}
                  />
                ) : (
                  <p className="muted">Place the cursor in a clause to see its proposals, comments and signals.</p>
                )}
              </section>
            }
          />
        ) : (
          <p className="loading" role="status">
            Opening the statement…
          </p>
        )}
      </main>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
