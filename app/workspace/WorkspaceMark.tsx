import { Link, useFetcher } from "@remix-run/react";
import { CsrfInput, ErrorList } from "~/components/forms";

/** The reader's delegation's own marks on a statement: the paragraphs it holds and how many notes each has. */
export interface WorkspaceMarks {
  held: string[];
  notes: Record<string, number>;
}

/** The outline's mark per paragraph, for the delegation only: "Held · 2 notes". */
export function outlineMarks(marks: WorkspaceMarks): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of new Set([...marks.held, ...Object.keys(marks.notes)])) {
    const count = marks.notes[id] ?? 0;
    out[id] = [marks.held.includes(id) ? "Held" : null, count ? `${count} note${count === 1 ? "" : "s"}` : null]
      .filter(Boolean)
      .join(" · ");
  }
  return out;
}

/**
 * In the clause panel, for a delegate: whether their delegation holds the paragraph (awaiting
 * instructions from capital), to set or clear, and its notes on it, in the delegation's workspace.
 */
export function WorkspaceMark({
  documentId,
  clauseId,
  clauseLabel,
  marks,
  adopted,
}: {
  documentId: string;
  clauseId: string;
  clauseLabel: string;
  marks: WorkspaceMarks;
  adopted: boolean;
}) {
  const fetcher = useFetcher<{ ok: boolean; message?: string; errors?: Record<string, string[] | undefined> }>();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const held = marks.held.includes(clauseId);
  const notes = marks.notes[clauseId] ?? 0;
  const workspace = `/documents/${documentId}/workspace`;
  return (
    <div className="workspace-mark" data-testid="workspace-mark">
      <h3>Your delegation only</h3>
      <fetcher.Form method="post" action={`${workspace}-changes`} className="inline-form">
        <CsrfInput />
        <input type="hidden" name="clauseId" value={clauseId} />
        {held ? <span className="badge workspace-hold">Held: awaiting instructions from capital</span> : null}{" "}
        {held || !adopted ? (
          <button type="submit" name="intent" value={held ? "unhold" : "hold"} className="button small" disabled={fetcher.state !== "idle"}>
            {held ? `Clear the hold on ${clauseLabel}` : `Hold ${clauseLabel}`}
          </button>
        ) : null}
      </fetcher.Form>
      <ErrorList errors={result && !result.ok ? Object.values(result.errors ?? {}).flatMap((e) => e ?? []) : undefined} />
      <p>
        <Link to={`${workspace}?clause=${encodeURIComponent(clauseId)}#notes-${clauseId}`}>
          {notes === 0 ? "No notes" : `${notes} note${notes === 1 ? "" : "s"}`} in your workspace
        </Link>
      </p>
    </div>
  );
}
