import { useEffect, useId, useRef } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { findDelegation } from "../../server/queries/delegations";
import { notAMember, workspaceDelegation, workspaceMember } from "../../server/workspace/workspace";
import type { action } from "~/routes/documents.$documentId.workspace-changes";
import { readWorkspace, type WorkspaceProposal } from "../../server/workspace/positions";
import { StatementSubpage } from "~/components/StatementSubpage";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { CsrfInput, ErrorList } from "~/components/forms";
import { requireDocumentPermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/invariant";
import { maxWorkspaceNoteLength } from "~/statement/limits";
import { proposalStatusLabels, signalLabels } from "~/statement/negotiation-labels";
import { formatUtc } from "~/utils/dates";

/**
 * A delegation's own workspace on a statement (/documents/<id>/workspace): its positions at a
 * glance, its drafts not yet tabled, its holds and its members' notes, paragraph by paragraph.
 * Its delegates alone open it; everyone else is refused (server/workspace/workspace.ts). Its forms
 * post to /documents/<id>/workspace-changes.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const delegationId = workspaceDelegation(access);
  invariantResponse(delegationId, notAMember, { status: 403 });
  const [delegation, workspace] = await Promise.all([
    findDelegation(context.sql, conference.id, delegationId),
    readWorkspace(context.sql, document.id, workspaceMember(access)),
  ]);
  const note = (n: (typeof workspace.paragraphs)[number]["notes"][number]) => ({
    id: n.id,
    body: n.body,
    authorName: n.authorName,
    mine: n.authorId === access.userId,
    at: formatUtc(n.updatedAt),
    edited: n.updatedAt.getTime() !== n.createdAt.getTime(),
  });
  const hold = (h: (typeof workspace.paragraphs)[number]["held"]) => (h ? { setByName: h.setByName, at: formatUtc(h.setAt) } : null);
  return {
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    delegation: delegation ? `${delegation.name} (${delegation.code})` : "Your delegation",
    adopted: document.adoptedAt !== null,
    paragraphs: workspace.paragraphs.map((p) => ({ ...p, held: hold(p.held), notes: p.notes.map(note) })),
    otherProposals: workspace.otherProposals,
    removed: workspace.removed.map((r) => ({ clauseId: r.clauseId, held: hold(r.held), notes: r.notes.map(note) })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Workspace · ${data.document.title} · Concord` : "Concord" },
];

/** A small form's errors, all together beside it. */
const failures = (result: { ok: boolean; errors?: Record<string, string[] | undefined> } | undefined) =>
  result && !result.ok ? Object.values(result.errors ?? {}).flatMap((e) => e ?? []) : undefined;

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;
type Paragraph = Loaded["paragraphs"][number];
type Note = Paragraph["notes"][number];

export default function WorkspacePage() {
  const { document, conference, delegation, adopted, paragraphs, otherProposals, removed } = useLoaderData<typeof loader>();
  const drafts = [...paragraphs.flatMap((p) => p.proposals), ...otherProposals].filter((p) => p.status === "draft");
  return (
    <StatementSubpage conference={conference} document={document} title={`Workspace: ${document.title}`} mainClassName="workspace">
      <p className="workspace-privacy" role="note">
        {delegation}&rsquo;s own workspace. Only your delegation&rsquo;s delegates see it: not the chair, the secretariat, observers or
        other delegations.
      </p>
      <section aria-labelledby="drafts-heading" className="panel">
        <h2 id="drafts-heading">Drafts not yet tabled</h2>
        {drafts.length === 0 ? (
          <p className="muted">
            Your delegation has no draft proposal. Propose from a paragraph of the statement; it stays here until tabled.
          </p>
        ) : (
          <ul className="workspace-drafts">
            {drafts.map((p) => (
              <li key={p.id}>
                <DraftEntry documentId={document.id} proposal={p} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="positions-heading">
        <h2 id="positions-heading">Positions at a glance</h2>
        <table className="workspace-positions">
          <thead>
            <tr>
              <th scope="col">Paragraph</th>
              <th scope="col">Your signal</th>
              <th scope="col">Your proposals</th>
              <th scope="col">Hold</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {paragraphs.map((p) => (
              <tr key={p.clauseId} data-clause-id={p.clauseId}>
                <th scope="row">
                  <Link to={`/documents/${document.id}#clause-${p.clauseId}`}>{p.label}</Link> <span className="muted">{p.excerpt}</span>
                </th>
                <td>
                  {p.signal ? (
                    <span title={p.signal.reason || undefined}>
                      {signalLabels[p.signal.signal]}
                      {p.signal.alignedWith ? ` (aligned with ${p.signal.alignedWith})` : ""}
                    </span>
                  ) : (
                    <span className="muted">None</span>
                  )}
                </td>
                <td>
                  <ProposalList documentId={document.id} proposals={p.proposals} />
                </td>
                <td>
                  <HoldToggle documentId={document.id} clauseId={p.clauseId} label={p.label} held={p.held} adopted={adopted} />
                </td>
                <td>{p.notes.length > 0 ? <a href={`#notes-${p.clauseId}`}>{p.notes.length}</a> : <span className="muted">0</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {otherProposals.length > 0 ? (
          <p>
            Elsewhere: <ProposalList documentId={document.id} proposals={otherProposals} />
          </p>
        ) : null}
      </section>
      <section aria-labelledby="notes-heading">
        <h2 id="notes-heading">Notes by paragraph</h2>
        <NoteForm documentId={document.id} paragraphs={paragraphs} />
        {paragraphs
          .filter((p) => p.notes.length > 0)
          .map((p) => (
            <NoteList key={p.clauseId} id={`notes-${p.clauseId}`} heading={p.label} documentId={document.id} notes={p.notes} />
          ))}
        {removed.map((r) => (
          <NoteList
            key={r.clauseId}
            id={`notes-${r.clauseId}`}
            heading={r.held ? "A paragraph since removed (held)" : "A paragraph since removed"}
            documentId={document.id}
            notes={r.notes}
          />
        ))}
      </section>
    </StatementSubpage>
  );
}

function ProposalList({ documentId, proposals }: { documentId: string; proposals: WorkspaceProposal[] }) {
  if (proposals.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="workspace-proposals">
      {proposals.map((p) => (
        <li key={p.id}>
          <Link to={`/documents/${documentId}/proposals/${p.id}`}>
            P{p.number} {p.label}
          </Link>{" "}
          <span className={`badge status-${p.status}`}>{proposalStatusLabels[p.status]}</span>
        </li>
      ))}
    </ul>
  );
}

function DraftEntry({ documentId, proposal: p }: { documentId: string; proposal: WorkspaceProposal }) {
  const fetcher = useFetcher<typeof action>();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  return (
    <fetcher.Form method="post" action={`/documents/${documentId}/workspace-changes`} className="inline-form">
      <CsrfInput />
      <input type="hidden" name="proposalId" value={p.id} />
      <Link to={`/documents/${documentId}/proposals/${p.id}`}>
        P{p.number} {p.label}
      </Link>{" "}
      <button type="submit" name="intent" value="table" className="button small primary" disabled={fetcher.state !== "idle"}>
        Table it
      </button>
      <ErrorList errors={failures(result)} />
    </fetcher.Form>
  );
}

function HoldToggle({
  documentId,
  clauseId,
  label,
  held,
  adopted,
}: {
  documentId: string;
  clauseId: string;
  label: string;
  held: { setByName: string; at: string } | null;
  adopted: boolean;
}) {
  const fetcher = useFetcher<typeof action>();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  return (
    <fetcher.Form method="post" action={`/documents/${documentId}/workspace-changes`} className="hold-toggle">
      <CsrfInput />
      <input type="hidden" name="clauseId" value={clauseId} />
      {held ? (
        <span className="badge workspace-hold" title={`Set by ${held.setByName}, ${held.at}`}>
          Held
        </span>
      ) : null}{" "}
      {held || !adopted ? (
        <button
          type="submit"
          name="intent"
          value={held ? "unhold" : "hold"}
          className="button small"
          disabled={fetcher.state !== "idle"}
          aria-label={held ? `Clear hold on ${label}` : `Hold ${label}, awaiting instructions from capital`}
        >
          {held ? "Clear hold" : "Hold"}
        </button>
      ) : null}
      <ErrorList errors={failures(result)} />
    </fetcher.Form>
  );
}

function NoteForm({ documentId, paragraphs }: { documentId: string; paragraphs: Paragraph[] }) {
  const fetcher = useFetcher<typeof action>();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? result.errors : undefined;
  // A note, once added, leaves an empty form for the next one.
  useEffect(() => {
    if (result?.ok) formRef.current?.reset();
  }, [result]);
  // The statement page links here with the paragraph it was on.
  const initial = typeof window === "undefined" ? undefined : (new URLSearchParams(window.location.search).get("clause") ?? undefined);
  return (
    <fetcher.Form method="post" action={`/documents/${documentId}/workspace-changes`} ref={formRef} className="panel workspace-note-form">
      <CsrfInput />
      <input type="hidden" name="intent" value="note" />
      <div className="field">
        <label htmlFor={`${id}-clause`}>Paragraph</label>
        <select id={`${id}-clause`} name="clauseId" defaultValue={initial}>
          {paragraphs.map((p) => (
            <option key={p.clauseId} value={p.clauseId}>
              {p.label}: {p.excerpt}
            </option>
          ))}
        </select>
        <ErrorList errors={errors?.clauseId} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-body`}>Note for your delegation</label>
        <textarea id={`${id}-body`} name="body" rows={3} maxLength={maxWorkspaceNoteLength} />
        <ErrorList errors={errors?.body} />
      </div>
      <ErrorList errors={errors?.form} />
      {result?.ok ? <p role="status">{result.message}</p> : null}
      <button type="submit" className="button small primary" disabled={fetcher.state !== "idle"}>
        Add the note
      </button>
    </fetcher.Form>
  );
}

function NoteList({ id, heading, documentId, notes }: { id: string; heading: string; documentId: string; notes: Note[] }) {
  return (
    <section id={id} className="workspace-notes" aria-label={`Notes on ${heading}`}>
      <h3>{heading}</h3>
      <ul>
        {notes.map((n) => (
          <li key={n.id}>
            <NoteEntry documentId={documentId} note={n} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function NoteEntry({ documentId, note: n }: { documentId: string; note: Note }) {
  const fetcher = useFetcher<typeof action>();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const path = `/documents/${documentId}/workspace-changes`;
  return (
    <article className="workspace-note">
      <p className="workspace-note-body">{n.body}</p>
      <p className="muted">
        {n.authorName}, {n.at}
        {n.edited ? " (edited)" : ""}
      </p>
      {n.mine ? (
        <>
          <details>
            <summary>Edit</summary>
            <fetcher.Form method="post" action={path}>
              <CsrfInput />
              <input type="hidden" name="noteId" value={n.id} />
              <textarea name="body" rows={3} maxLength={maxWorkspaceNoteLength} defaultValue={n.body} aria-label="Note" />
              <button type="submit" name="intent" value="edit" className="button small" disabled={fetcher.state !== "idle"}>
                Save
              </button>
            </fetcher.Form>
          </details>
          <fetcher.Form method="post" action={path}>
            <CsrfInput />
            <input type="hidden" name="noteId" value={n.id} />
            <button type="submit" name="intent" value="delete" className="button small danger" disabled={fetcher.state !== "idle"}>
              Delete
            </button>
          </fetcher.Form>
          <ErrorList errors={failures(result)} />
        </>
      ) : null}
    </article>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
