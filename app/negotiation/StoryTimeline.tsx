import { Link } from "@remix-run/react";
import type { StoryEntry, TextEntry } from "../../server/negotiation/story/entries";
import type { ProposalEventKind } from "~/statement/vocabulary";
import { proposalKindLabels, signalLabels, stateLabels } from "~/statement/negotiation-labels";
import { formatUtc } from "~/utils/dates";
import { readingOutcomeLabels } from "~/statement/readings";
import { WordDiff } from "./WordDiff";

const proposalVerbs: Record<ProposalEventKind, string> = {
  created: "created",
  submitted: "submitted",
  revised: "revised",
  withdrawn: "withdrew",
  cosponsored: "co-sponsored",
  supported: "supported",
  objected: "objected to",
  aligned: "aligned with",
  position_withdrawn: "withdrew their position on",
  accepted: "accepted",
  rejected: "rejected",
  merged: "merged",
  not_taken_up: "closed as not taken up",
  discussion_opened: "opened for discussion",
};

function textHeading(e: TextEntry): string {
  const o = e.origin;
  if (e.text === null) return `${e.label} removed from the text`;
  if (o.type === "first") return `${e.label} in the first text`;
  if (e.before === null) return `${e.label} added to the text`;
  return `${e.label} changed`;
}

function textOrigin(e: TextEntry): string {
  const o = e.origin;
  switch (o.type) {
    case "first":
      return "As the statement was created (its zero draft).";
    case "proposal": {
      const merged = o.merged.length ? `, the chair’s compromise merging ${o.merged.map((n) => `P${n}`).join(", ")}` : "";
      return `From P${o.number} (${o.sponsor ?? "the chair"}${merged}), accepted.`;
    }
    case "package":
      return `From the breakout package of ${o.breakout} (P${o.number}${o.facilitator ? `, facilitated by ${o.facilitator}` : ""}), accepted.`;
    case "restore":
      return `The chair restored ${o.from}.`;
    case "edit":
      return o.writers.length ? `Edited in the text by ${o.writers.join(", ")}.` : "Edited in the text.";
  }
}

function TextItem({ e, documentId }: { e: TextEntry; documentId: string }) {
  return (
    <>
      <p className="story-head">
        <strong>{textHeading(e)}</strong> {textOrigin(e)}{" "}
        {e.version ? <Link to={`/documents/${documentId}/versions/${e.version.id}`}>{e.version.label}</Link> : <span>Current text</span>}
      </p>
      {e.before === null ? <p className="word-diff">{e.text}</p> : <WordDiff from={e.before} to={e.text ?? ""} />}
    </>
  );
}

function Item({ e, documentId }: { e: StoryEntry; documentId: string }) {
  switch (e.kind) {
    case "text":
      return <TextItem e={e} documentId={documentId} />;
    case "proposal": {
      const p = e.proposal;
      const name = (
        <Link to={`/documents/${documentId}/proposals/${p.id}`}>
          P{p.number} ({proposalKindLabels[p.kind]}, {p.sponsor ?? "chair"})
        </Link>
      );
      return (
        <>
          <p className="story-head">
            {e.by} {proposalVerbs[e.event]} {name}
            {e.revision && e.revision.number > 1 ? ` (revision ${e.revision.number})` : ""}
            {e.mergedInto ? ` into P${e.mergedInto}` : ""}
            {e.reason ? `: “${e.reason}”` : "."}
          </p>
          {e.revision ? <WordDiff className="proposal-text" from={e.revision.baseText} to={e.revision.text} /> : null}
        </>
      );
    }
    case "state":
      return (
        <p className="story-head">
          {e.by ?? "The adoption"} set the state to <strong>{stateLabels[e.state]}</strong>
          {e.reason ? `: “${e.reason}”` : "."}
        </p>
      );
    case "signal":
      return (
        <p className="story-head">
          {e.delegation} ({e.by}):{" "}
          <strong>{e.signal === "align" ? `aligned with ${e.alignedWith ?? "its group"}` : signalLabels[e.signal]}</strong>
          {e.reason ? ` — “${e.reason}”` : ""}
        </p>
      );
    case "comment":
      return (
        <>
          <p className="story-head">
            {e.by} ({e.affiliation}) {e.reply ? "replied" : "commented"}
            {e.quote ? ` on “${e.quote}”` : ""}:
          </p>
          <blockquote className="story-comment">{e.body}</blockquote>
        </>
      );
    case "thread":
      return (
        <p className="story-head">
          {e.by} {e.change} a comment thread.
        </p>
      );
    case "reading":
      return (
        <p className="story-head">
          {e.by} marked it <strong>{readingOutcomeLabels[e.outcome]}</strong> in the {e.reading === 1 ? "first" : "second"} reading.
        </p>
      );
    case "breakout": {
      const name = <Link to={`/documents/${documentId}/breakouts/${e.breakout.id}`}>{e.breakout.name}</Link>;
      return (
        <>
          <p className="story-head">
            Sent to breakout {name}, facilitated by {e.breakout.facilitator}.
          </p>
        </>
      );
    }
  }
}

/** A paragraph's story, oldest first: each entry with when, and what and who. */
export function StoryTimeline({ documentId, entries }: { documentId: string; entries: StoryEntry[] }) {
  if (entries.length === 0) return <p className="muted">Nothing has happened to this paragraph yet.</p>;
  return (
    <ol className="story-list" aria-labelledby="story-heading">
      {entries.map((e, i) => (
        <li
          key={i}
          className={`story-entry story-${e.kind}`}
          data-kind={e.kind}
          data-event={e.kind === "proposal" ? e.event : e.kind === "text" ? e.origin.type : undefined}
        >
          <time dateTime={e.at}>{formatUtc(e.at)}</time>
          <Item e={e} documentId={documentId} />
        </li>
      ))}
    </ol>
  );
}
