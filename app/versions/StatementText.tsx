import type { ReactNode } from "react";
import type { JSONContent } from "@tiptap/core";
import { stateLabels } from "~/statement/negotiation-labels";
import type { VersionClause } from "~/statement/version-view";

const markTags: Record<string, "em" | "strong" | "u" | "s"> = { italic: "em", bold: "strong", underline: "u", strike: "s" };

function inline(nodes: JSONContent[] | undefined): ReactNode[] {
  return (nodes ?? []).map((n, i) => {
    if (n.type === "hardBreak") return <br key={i} />;
    let out: ReactNode = n.text ?? "";
    for (const m of n.marks ?? []) {
      const Tag = markTags[m.type];
      if (Tag) out = <Tag>{out}</Tag>;
    }
    return <span key={i}>{out}</span>;
  });
}

function blocks(nodes: JSONContent[] | undefined): ReactNode[] {
  return (nodes ?? []).map((n, i) => {
    switch (n.type) {
      case "paragraph":
        return <p key={i}>{inline(n.content)}</p>;
      case "bulletList":
        return <ul key={i}>{blocks(n.content)}</ul>;
      case "orderedList":
        return (
          <ol key={i} type="a">
            {blocks(n.content)}
          </ol>
        );
      case "listItem":
        return <li key={i}>{blocks(n.content)}</li>;
      default:
        return null;
    }
  });
}

/** A clause's body read-only (a translation's, an original clause beside it). */
export function ClauseBody({ content }: { content: JSONContent[] }) {
  return <>{blocks(content)}</>;
}

/** A statement's text read-only, as a version had it: title, then each clause with its label and state. */
export function StatementText({
  title,
  preamble,
  operative,
}: {
  title: JSONContent[];
  preamble: VersionClause[];
  operative: VersionClause[];
}) {
  const clause = (c: VersionClause) => (
    <article key={c.id ?? c.label} className={`version-clause state-${c.state}`} data-clause-id={c.id ?? undefined} aria-label={c.label}>
      <header className="version-clause-head">
        <span className="clause-ref">{c.label}</span> <span className={`state-badge state-${c.state}`}>{stateLabels[c.state]}</span>
      </header>
      <div className="version-clause-text">{blocks(c.content)}</div>
    </article>
  );
  return (
    <div className="statement-text read-only">
      <h2 className="statement-title">{inline(title)}</h2>
      <section className="part part-preamble" aria-label="Preambular clauses">
        {preamble.map(clause)}
      </section>
      <section className="part part-operative" aria-label="Operative clauses">
        {operative.map(clause)}
      </section>
    </div>
  );
}
