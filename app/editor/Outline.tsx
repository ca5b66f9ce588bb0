import type { Editor } from "@tiptap/react";
import { Link } from "@remix-run/react";
import type { ClauseInfo } from "~/statement/numbering";

function excerpt(text: string, words = 9) {
  const parts = text.trim().split(/\s+/);
  return parts.length > words ? `${parts.slice(0, words).join(" ")}…` : text.trim() || "(empty clause)";
}

/**
 * The clause outline: each entry jumps to its clause, and opens its story (every text and event of
 * that paragraph); `marks` adds a short mark to some (by clause id).
 */
export function Outline({ editor, clauses, marks }: { editor: Editor; clauses: ClauseInfo[]; marks?: Readonly<Record<string, string>> }) {
  const goTo = (c: ClauseInfo) =>
    editor
      .chain()
      .focus()
      .setTextSelection(c.pos + 2)
      .scrollIntoView()
      .run();
  const parts = [
    { key: "pp", title: "Preambular part" },
    { key: "op", title: "Operative part" },
  ] as const;
  return (
    <nav className="panel outline" aria-labelledby="outline-heading">
      <h2 id="outline-heading">Outline</h2>
      {parts.map((p) => (
        <div key={p.key}>
          <h3>{p.title}</h3>
          <ol className="outline-list">
            {clauses
              .filter((c) => c.part === p.key)
              .map((c) => (
                <li key={c.id ?? c.pos} data-clause-id={c.id ?? undefined} className="outline-entry">
                  <button type="button" className="outline-item" onClick={() => goTo(c)}>
                    <span className="outline-label">{c.label}</span> <span className="outline-text">{excerpt(c.text)}</span>
                    {c.id && marks?.[c.id] ? <span className="outline-mark"> {marks[c.id]}</span> : null}
                  </button>
                  {c.id ? (
                    // Relative to the statement's page: /documents/<id>/clauses/<clause id>/story.
                    <Link to={`clauses/${c.id}/story`} className="outline-story" aria-label={`Story of ${c.label}`}>
                      Story
                    </Link>
                  ) : null}
                </li>
              ))}
          </ol>
        </div>
      ))}
    </nav>
  );
}
