import { useEffect, useMemo, useRef, useState } from "react";
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { statementSchema } from "~/statement/schema";
import { statementJSON } from "~/statement/yjs-state";
import { listClauses, type ClauseInfo } from "~/statement/numbering";
import { stateBadgeLabels } from "~/statement/negotiation-labels";
import { trackedChanges, type ScreenData } from "~/statement/screen";
import { readingNames, readingProgress, type ReadingView } from "~/statement/readings";
import type { DiffSegment } from "~/statement/word-diff";

/**
 * The statement as it stands live, read from the collaboration server with the screen's
 * projection token (read-only: the server drops anything it would send). The screen takes no
 * part in presence: nobody sees it among the people present.
 */
function useLiveClauses(documentId: string, token: string, provisional: readonly string[]): ClauseInfo[] | null {
  const [doc, setDoc] = useState<Y.Doc | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const ydoc = new Y.Doc();
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const provider = new WebsocketProvider(`${scheme}//${window.location.host}/collab`, documentId, ydoc, {
      disableBc: true,
      params: { screen: token },
    });
    provider.awareness.setLocalState(null);
    const changed = () => setVersion((v) => v + 1);
    ydoc.on("update", changed);
    provider.on("sync", (synced: boolean) => synced && setDoc(ydoc));
    return () => {
      ydoc.off("update", changed);
      provider.destroy();
      ydoc.destroy();
      setDoc(null);
    };
  }, [documentId, token]);
  const provisionalKey = provisional.join(" ");
  return useMemo(() => {
    if (!doc) return null;
    // `version` counts the document's updates: the clauses are read again at each.
    void version;
    const node = statementSchema.nodeFromJSON(statementJSON(doc));
    return listClauses(node, new Set(provisionalKey ? provisionalKey.split(" ") : []));
  }, [doc, version, provisionalKey]);
}

function Tracked({ segments }: { segments: DiffSegment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.type === "insert" ? (
          <ins key={i}>{s.text}</ins>
        ) : s.type === "delete" ? (
          <del key={i}>{s.text}</del>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}

/** Where the reading stands, for the room: which reading, n of m paragraphs read. */
function ReadingLine({ reading, labels }: { reading: ReadingView; labels: Record<string, string> }) {
  const { read, of } = readingProgress(reading);
  return (
    <p className="screen-reading" data-testid="screen-reading">
      {readingNames[reading.number]} — {read} of {of} paragraphs read
      {reading.current ? ` · now ${labels[reading.current] ?? "a removed paragraph"}` : ""}
    </p>
  );
}

/**
 * The plenary screen: large type, the chair's paragraph highlighted and kept in view, the live
 * text with what changed since the reference revision marked as insertions and deletions,
 * brackets, clause states and the alternatives the screen may show.
 */
export function PlenaryScreen({ data, token, reading }: { data: ScreenData; token: string; reading: ReadingView | null }) {
  const clauses = useLiveClauses(data.document.id, token, data.provisional);
  const current = reading?.current ?? null;
  const currentRef = useRef<HTMLDivElement | null>(null);
  const shown = clauses !== null;
  // The chair's paragraph is kept in view as the chair moves.
  useEffect(() => {
    currentRef.current?.scrollIntoView({ block: "center", behavior: "smooth" });
  }, [current, shown]);

  const bracketed = new Set(data.bracketed);
  const labels = Object.fromEntries((clauses ?? []).flatMap((c) => (c.id ? [[c.id, c.label]] : [])));
  // Paragraphs of the reference the live text no longer has, shown deleted after the one they followed.
  const live = new Set((clauses ?? []).map((c) => c.id));
  const deletedAfter = new Map<string | null, string[]>();
  let previous: string | null = null;
  for (const [id, text] of Object.entries(data.reference?.texts ?? {})) {
    if (live.has(id)) previous = id;
    else deletedAfter.set(previous, [...(deletedAfter.get(previous) ?? []), text]);
  }
  const deleted = (after: string | null) =>
    (deletedAfter.get(after) ?? []).map((text, i) => (
      <div key={`${after}-deleted-${i}`} className="screen-clause screen-clause-deleted">
        <del>{text}</del>
      </div>
    ));

  return (
    <div className="screen">
      <header className="screen-header">
        <h1>{data.document.title}</h1>
        {data.reference ? <p className="screen-reference">Changes since {data.reference.name} are marked.</p> : null}
        {reading ? <ReadingLine reading={reading} labels={labels} /> : null}
      </header>
      <main id="main" className="screen-text">
        {clauses === null ? (
          <p role="status">Connecting…</p>
        ) : (
          <>
            {deleted(null)}
            {clauses.map((c) => {
              const isCurrent = c.id !== null && c.id === current;
              const state = c.id ? data.states[c.id] : undefined;
              return (
                <div key={c.id ?? c.pos}>
                  <div
                    ref={isCurrent ? currentRef : undefined}
                    className={isCurrent ? "screen-clause screen-current" : "screen-clause"}
                    data-clause-id={c.id ?? undefined}
                    aria-current={isCurrent ? "true" : undefined}
                  >
                    <span className="screen-label">{c.label}</span> {c.id && bracketed.has(c.id) ? "[" : null}
                    <Tracked segments={trackedChanges(data.reference, c.id, c.text)} />
                    {c.id && bracketed.has(c.id) ? "]" : null}
                    {state && state !== "open" ? <span className="screen-state"> ({stateBadgeLabels[state]})</span> : null}
                  </div>
                  {data.alternatives
                    .filter((a) => a.clauseId === c.id)
                    .map((a) => (
                      <p key={a.id} className="screen-alternative" data-testid="screen-alternative">
                        [{a.label}
                        {a.text && a.kind !== "delete" && a.kind !== "retain" ? `: ${a.text}` : ""}
                        {a.sponsors ? ` (${a.sponsors.join(", ")})` : ""}]
                      </p>
                    ))}
                  {c.id ? deleted(c.id) : null}
                </div>
              );
            })}
          </>
        )}
      </main>
    </div>
  );
}
