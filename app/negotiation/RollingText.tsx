import type { ReactNode } from "react";
import { Link, useSearchParams } from "@remix-run/react";
import type { Block, ExportClause, ExportStatement, Run } from "../../server/export/model";

function runs(list: Run[]): ReactNode[] {
  return list.map((r, i) => {
    if (r.break) return <br key={i} />;
    let out: ReactNode = r.text;
    if (r.underline) out = <u>{out}</u>;
    if (r.bold) out = <strong>{out}</strong>;
    if (r.italic) out = <em>{out}</em>;
    return <span key={i}>{out}</span>;
  });
}

function blocks(list: Block[]): ReactNode[] {
  return list.map((b, i) =>
    b.kind === "paragraph" ? (
      <p key={i}>{runs(b.runs)}</p>
    ) : (
      <div key={i} className="rolling-list">
        {b.items.map((item, j) => (
          <div key={j} className="rolling-item">
            <span className="rolling-marker">{item.marker}</span>
            <div>{blocks(item.blocks)}</div>
          </div>
        ))}
      </div>
    ),
  );
}

/**
 * The rolling text (server/negotiation/rolling-text.ts), read-only: every clause as a draft
 * prints it, with the open proposals bracketed where they apply.
 */
export function RollingText({ text }: { text: ExportStatement }) {
  const clause = (c: ExportClause) => (
    <div
      key={c.id ?? `proposed-${c.part}-${c.index}`}
      className={c.id ? "rolling-clause" : "rolling-clause proposed"}
      data-label={c.label}
      data-clause-id={c.id ?? undefined}
    >
      <span className="rolling-num">{c.part === "op" ? c.num : ""}</span>
      <div className="rolling-body">{blocks(c.blocks)}</div>
    </div>
  );
  return (
    <article className="rolling-text" aria-label="Rolling text">
      <h2 className="rolling-title">{runs(text.titleRuns)}</h2>
      <section aria-label="Preambular part">{text.preamble.map(clause)}</section>
      <section aria-label="Operative part">{text.operative.map(clause)}</section>
    </article>
  );
}

/** What a page shows of the text: `?view=rolling` the rolling text, `&attributions=0` without its sponsors. */
export interface TextView {
  rolling: boolean;
  attributions: boolean;
}

export const textViewOf = (search: URLSearchParams): TextView => ({
  rolling: search.get("view") === "rolling",
  attributions: search.get("attributions") !== "0",
});

/**
 * "Clean text | Rolling text", and in the rolling text "Hide attributions" (how the chair projects
 * or circulates it without names). Links, so the view is in the address and survives live reloads.
 */
export function TextViewToggle({ view, exportPath }: { view: TextView; exportPath: string }) {
  const [search] = useSearchParams();
  const href = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    const query = next.toString();
    return query ? `?${query}` : ".";
  };
  const rollingExport = (format: "docx" | "pdf") => `${exportPath}?format=${format}&rolling=1${view.attributions ? "" : "&attributions=0"}`;
  return (
    <nav className="text-view" aria-label="Text view">
      <Link to={href({ view: null, attributions: null })} aria-current={view.rolling ? undefined : "page"} className="text-view-option">
        Clean text
      </Link>
      <Link to={href({ view: "rolling" })} aria-current={view.rolling ? "page" : undefined} className="text-view-option">
        Rolling text
      </Link>
      {view.rolling ? (
        <>
          <Link to={href({ attributions: view.attributions ? "0" : null })} className="text-view-attributions">
            {view.attributions ? "Hide attributions" : "Show attributions"}
          </Link>
          <span className="text-view-downloads">
            Download: <a href={rollingExport("docx")}>Word</a> · <a href={rollingExport("pdf")}>PDF</a>
          </span>
        </>
      ) : null}
    </nav>
  );
}
