import { useCallback, useEffect, useId, useState } from "react";
import { useFetcher, useRouteLoaderData } from "@remix-run/react";
import { CsrfInput, ErrorList } from "~/components/forms";
import {
  isPlainClauseId,
  readingKeys,
  readingNames,
  readingOutcomeLabels,
  readingOutcomes,
  readingProgress,
  toReturnTo,
  type ReadingOutcome,
  type ReadingView,
} from "~/statement/readings";
import type { action as readingAction } from "~/routes/documents.$documentId.reading";

/**
 * The running reading on a page: as its loader read it, then as each reading event carries it
 * (a reload of the page's data brings it again). Returns it and the handler for `useLiveUpdates`.
 */
export function useLiveReading(loaded: ReadingView | null): [ReadingView | null, (reading: ReadingView | null) => void] {
  const [state, setState] = useState<{ base: ReadingView | null; now: ReadingView | null }>({ base: loaded, now: loaded });
  const onReading = useCallback((now: ReadingView | null) => setState({ base: loaded, now }), [loaded]);
  return [state.base === loaded ? state.now : loaded, onReading];
}

const followKey = (userId: string) => `concord:follow-reading:${userId}`;

/** Whether this person's view follows the chair's pointer: on unless they turned it off, remembered in this browser. */
export function useFollowReading(userId: string): [boolean, (follow: boolean) => void] {
  const [follow, setFollow] = useState(true);
  useEffect(() => setFollow(window.localStorage.getItem(followKey(userId)) !== "off"), [userId]);
  const change = useCallback(
    (on: boolean) => {
      setFollow(on);
      window.localStorage.setItem(followKey(userId), on ? "on" : "off");
    },
    [userId],
  );
  return [follow, change];
}

/** Scrolls the statement to the chair's paragraph each time it moves, and highlights it, while the person follows. */
export function ReadingPointer({ current, follow }: { current: string | null; follow: boolean }) {
  const id = current && isPlainClauseId(current) ? current : null;
  useEffect(() => {
    if (!follow || !id) return;
    document.querySelector(`#main .statement .clause[data-clause-id="${id}"]`)?.scrollIntoView({ block: "center", behavior: "smooth" });
  }, [id, follow]);
  if (!follow || !id) return null;
  // The editor draws the clauses; the highlight is a rule naming the clause, so it holds across the editor's redraws.
  return (
    <style>{`#main .statement .clause[data-clause-id="${id}"] { background: var(--reading-current, #fff4c2); outline: 3px solid #b38600; }`}</style>
  );
}

/**
 * The reading on the statement page: which reading, the chair's paragraph, n of m paragraphs read
 * and those to return to, for everyone; whether the person follows the chair; and for the chair
 * the controls, with their keys (Alt+↓ / Alt+↑ next and previous, Alt+A agreed ad ref, Alt+R to
 * return to, Alt+B bracketed, on the chair's paragraph).
 */
export function ReadingBar({
  documentId,
  reading,
  labels,
  isChair,
  adopted,
  follow,
  onFollow,
}: {
  documentId: string;
  reading: ReadingView | null;
  labels: Record<string, string>;
  isChair: boolean;
  adopted: boolean;
  follow: boolean;
  onFollow: (follow: boolean) => void;
}) {
  const fetcher = useFetcher<typeof readingAction>();
  const root = useRouteLoaderData<{ csrf: string | null }>("root");
  const id = useId();
  const action = `/documents/${documentId}/reading`;
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? result.errors : undefined;
  const submit = useCallback(
    (fields: Record<string, string>) => fetcher.submit({ csrf: root?.csrf ?? "", ...fields }, { method: "post", action }),
    [fetcher, root?.csrf, action],
  );
  const current = reading?.current ?? null;

  useEffect(() => {
    if (!isChair || !reading) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      // With Alt held, some layouts give another character (Option+A is "å" on a Mac): the key's code says which key it was.
      const letter = e.code.startsWith("Key") ? e.code.slice(3).toLowerCase() : key;
      let fields: Record<string, string> | null = null;
      if (key === readingKeys.next) fields = { intent: "move", to: "next" };
      else if (key === readingKeys.previous) fields = { intent: "move", to: "previous" };
      else if (current) {
        const outcome = readingOutcomes.find((o) => readingKeys[o] === letter);
        if (outcome) fields = { intent: "mark", clauseId: current, outcome };
      }
      if (!fields) return;
      e.preventDefault();
      submit(fields);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [isChair, reading, current, submit]);

  if (!reading) {
    if (!isChair || adopted) return null;
    return (
      <section className="reading-bar" aria-label="Readings">
        <fetcher.Form method="post" action={action} className="inline-form">
          <CsrfInput />
          <input type="hidden" name="intent" value="start" />
          <button type="submit" name="number" value="1" className="button small">
            Start the first reading
          </button>
          <button type="submit" name="number" value="2" className="button small">
            Start the second reading
          </button>
        </fetcher.Form>
        <ErrorList errors={errors?.form} />
      </section>
    );
  }

  const { read, of } = readingProgress(reading);
  const returning = toReturnTo(reading);
  const label = (clauseId: string) => labels[clauseId] ?? "a removed paragraph";
  return (
    <section className="reading-bar" aria-labelledby={`${id}-heading`} data-testid="reading-bar">
      <h2 id={`${id}-heading`} className="reading-title">
        {readingNames[reading.number]}
      </h2>
      <p className="reading-progress" aria-live="polite">
        <span data-testid="reading-current">{current ? `On ${label(current)}` : "No paragraph"}</span> ·{" "}
        <span data-testid="reading-progress">
          {read} of {of} paragraphs read
        </span>
        {current && reading.outcomes[current] ? ` · ${label(current)}: ${readingOutcomeLabels[reading.outcomes[current]]}` : ""}
      </p>
      <p className="reading-return" data-testid="reading-return">
        To return to: {returning.length ? returning.map(label).join(", ") : "none"}
      </p>
      <div className="checkbox-field">
        <input id={`${id}-follow`} type="checkbox" checked={follow} onChange={(e) => onFollow(e.target.checked)} />
        <label htmlFor={`${id}-follow`}>Follow the chair</label>
      </div>
      {isChair ? (
        <div className="reading-controls" role="group" aria-label="Run the reading">
          <button
            type="button"
            className="button small"
            onClick={() => submit({ intent: "move", to: "previous" })}
            aria-keyshortcuts="Alt+ArrowUp"
          >
            Previous
          </button>
          <button
            type="button"
            className="button small"
            onClick={() => submit({ intent: "move", to: "next" })}
            aria-keyshortcuts="Alt+ArrowDown"
          >
            Next
          </button>
          <label htmlFor={`${id}-jump`} className="visually-hidden">
            Go to paragraph
          </label>
          <select
            id={`${id}-jump`}
            value={current ?? ""}
            onChange={(e) => submit({ intent: "move", to: "clause", clauseId: e.target.value })}
          >
            {reading.clauseIds.map((c) => (
              <option key={c} value={c}>
                {label(c)}
              </option>
            ))}
          </select>
          {current
            ? readingOutcomes.map((o: ReadingOutcome) => (
                <button
                  key={o}
                  type="button"
                  className="button small"
                  aria-pressed={reading.outcomes[current] === o}
                  aria-keyshortcuts={`Alt+${readingKeys[o].toUpperCase()}`}
                  onClick={() => submit({ intent: "mark", clauseId: current, outcome: o })}
                >
                  {readingOutcomeLabels[o]}
                </button>
              ))
            : null}
          <button type="button" className="button small" onClick={() => submit({ intent: "end" })}>
            End the reading
          </button>
          <ErrorList
            errors={
              errors
                ? Object.values(errors)
                    .flat()
                    .filter((e): e is string => typeof e === "string")
                : undefined
            }
          />
        </div>
      ) : null}
    </section>
  );
}
