import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { compareSides, readSide } from "../../server/versions/compare";
import { DiffSegments } from "~/negotiation/WordDiff";
import { StatementSubpage } from "~/components/StatementSubpage";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { requireDocumentPermission } from "~/utils/auth.server";
import { maySeeNegotiation } from "../../server/auth/visibility";
import { invariantResponse } from "~/utils/invariant";
import { targetLanguages } from "../../server/translations/translations";
import { inLanguage } from "../../server/translations/translated-statement";
import { languageOf } from "~/statement/languages";

/**
 * The changes between two versions (?from=&to=, each a version id or "current"), clause by
 * clause: added, deleted, moved (old and new numbers) and changed with a word diff, unchanged
 * clauses folded, and for each changed clause the accepted proposal(s) it came from (for those who see the negotiation). For every member who sees the statement.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const search = new URL(request.url).searchParams;
  const targets = targetLanguages(conference, document);
  const code = search.get("language") ?? document.originalLanguage;
  invariantResponse(code === document.originalLanguage || targets.includes(code), "This statement is not translated into that language.", {
    status: 404,
  });
  const [read, readTo] = await Promise.all([
    readSide(context.sql, document, search.get("from") ?? "current"),
    readSide(context.sql, document, search.get("to") ?? "current"),
  ]);
  invariantResponse(read && readTo, "There is no such version of this statement.", { status: 404 });
  // In another language: each side's translations, as they are now or as its version held them.
  const inCode = (side: typeof read) =>
    code === document.originalLanguage
      ? side
      : inLanguage(context.sql, side, { statementId: document.id, versionId: side.id, language: code });
  const [from, to] = await Promise.all([inCode(read), inCode(readTo)]);
  const { redline, sources } = await compareSides(context.sql, document.id, from, to, { code, original: document.originalLanguage });
  // Which proposal a change came from is the negotiation's, not the text's.
  const seesProposals = maySeeNegotiation(access, conference);
  return {
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    language: languageOf(code),
    languages: [document.originalLanguage, ...targets].map(languageOf),
    from: { id: from.id ?? "current", label: from.label },
    to: { id: to.id ?? "current", label: to.label },
    title: redline.title,
    clauses: redline.clauses.map((c) => ({
      ...c,
      sources:
        c.change === "unchanged" || !c.id || !seesProposals
          ? []
          : (sources.get(c.id) ?? []).map((s) => ({ number: s.number, delegation: s.delegationName })),
    })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Changes ${data.from.label} → ${data.to.label} · ${data.document.title} · Concord` : "Concord" },
];

type Clause = ReturnType<typeof useLoaderData<typeof loader>>["clauses"][number];

function describe(c: Clause): string {
  if (c.change === "added") return `Added as ${c.newLabel}`;
  if (c.change === "deleted") return `Deleted (was ${c.oldLabel})`;
  const moved = c.moved ? `Moved from ${c.oldLabel} to ${c.newLabel}` : null;
  if (c.change === "changed") return moved ? `${moved}, changed` : `${c.newLabel} changed`;
  return moved ?? `${c.newLabel} unchanged`;
}

/** Runs of unchanged clauses that did not move fold into one toggle. */
function grouped(clauses: Clause[]): (Clause | Clause[])[] {
  const out: (Clause | Clause[])[] = [];
  for (const c of clauses) {
    const last = out[out.length - 1];
    if (c.change !== "unchanged" || c.moved) out.push(c);
    else if (Array.isArray(last)) last.push(c);
    else out.push([c]);
  }
  return out;
}

export default function RedlinePage() {
  const { document, conference, language, languages, from, to, title, clauses } = useLoaderData<typeof loader>();
  const sides = `from=${from.id}&to=${to.id}`;
  const changed = clauses.filter((c) => c.change !== "unchanged" || c.moved).length;
  const clause = (c: Clause) => (
    <li
      key={`${c.id}-${c.change}`}
      className={`redline-clause change-${c.change}${c.moved ? " moved" : ""}`}
      data-clause-id={c.id ?? undefined}
      data-change={c.change}
    >
      <p className="redline-head">
        <strong>{describe(c)}</strong>
        {c.part === "op" && c.oldNum !== c.newNum && c.oldNum && c.newNum ? (
          <span className="renumbered">
            {" "}
            (number {c.oldNum} → {c.newNum})
          </span>
        ) : null}
      </p>
      <DiffSegments segments={c.diff} />
      {c.id ? (
        <p className="redline-story">
          <Link to={`/documents/${document.id}/clauses/${c.id}/story`} aria-label={`Story of ${c.newLabel ?? c.oldLabel}`}>
            Story of this paragraph
          </Link>
        </p>
      ) : null}
      {c.sources.length > 0 ? (
        <p className="redline-source">
          From{" "}
          {c.sources.map((s, i) => (
            <span key={s.number} data-proposal={`P${s.number}`}>
              {i > 0 ? ", " : ""}P{s.number} ({s.delegation ?? "the chair’s compromise"})
            </span>
          ))}
        </p>
      ) : null}
    </li>
  );
  return (
    <StatementSubpage conference={conference} document={document} title={`Changes: ${document.title}`} mainClassName="redline">
      <p>
        From <strong data-side="from">{from.label}</strong> to <strong data-side="to">{to.label}</strong>: {changed} clause
        {changed === 1 ? "" : "s"} changed. <Link to={`/documents/${document.id}/history`}>History</Link> ·{" "}
        <a href={`/documents/${document.id}/export?format=redline&${sides}&language=${language.code}`}>
          Download with tracked changes (Word)
        </a>
      </p>
      {languages.length > 1 ? (
        <nav className="translation-nav" aria-label="Changes in another language">
          {languages.map((l) =>
            l.code === language.code ? (
              <strong key={l.code} aria-current="page">
                {l.name}
              </strong>
            ) : (
              <Link key={l.code} to={`?${sides}&language=${l.code}`}>
                {l.name}
              </Link>
            ),
          )}
        </nav>
      ) : null}
      {title.some((s) => s.type !== "equal") ? (
        <section className="redline-title" aria-label="Title">
          <DiffSegments segments={title} />
        </section>
      ) : null}
      <ol className="redline-list" lang={language.code} dir={language.rtl ? "rtl" : undefined}>
        {grouped(clauses).map((g) =>
          Array.isArray(g) ? (
            <li key={`same-${g[0].id}`} className="unchanged-group">
              <details>
                <summary>
                  {g.length} unchanged clause{g.length === 1 ? "" : "s"}
                </summary>
                <ol className="redline-list">{g.map(clause)}</ol>
              </details>
            </li>
          ) : (
            clause(g)
          ),
        )}
      </ol>
    </StatementSubpage>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
