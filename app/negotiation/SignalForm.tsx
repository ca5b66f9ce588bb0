import { useEffect, useId, useRef } from "react";
import { useFetcher } from "@remix-run/react";
import { CsrfInput, ErrorList } from "~/components/forms";
import { signalLabels } from "~/statement/negotiation-labels";
import { maxReasonLength } from "~/statement/limits";
import type { ClauseSignal, GivenSignal } from "~/statement/vocabulary";
import type { action as giveSignal } from "~/routes/documents.$documentId.signals";

/** The choice that aligns with a group's signal, as the form sends it. */
export const alignPrefix = "align:";

/** The form's choice for the delegation's latest signal as given (an alignment names its group). */
export const givenChoice = (s: { signal: GivenSignal; alignedWith: { id: string } | null } | undefined): string | null =>
  s ? (s.signal === "align" ? `${alignPrefix}${s.alignedWith?.id}` : s.signal) : null;

/**
 * A delegate's signal on the current clause, for their own delegation (the server knows which), or
 * its alignment with the signal of one of the groups it is a member of.
 */
export function SignalForm({
  documentId,
  clauseId,
  current,
  groups,
}: {
  documentId: string;
  clauseId: string;
  /** The signal the delegation gave, or "align:<group id>" when it aligned. */
  current: string | null;
  groups: { id: string; name: string }[];
}) {
  const fetcher = useFetcher<typeof giveSignal>();
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (result?.ok) form.current?.reset();
  }, [result]);
  const errors = result && !result.ok ? result.errors : undefined;
  return (
    <fetcher.Form method="post" action={`/documents/${documentId}/signals`} className="signal-form" ref={form} key={clauseId}>
      <CsrfInput />
      <input type="hidden" name="clauseId" value={clauseId} />
      <fieldset>
        <legend>Your delegation's signal</legend>
        {(Object.keys(signalLabels) as ClauseSignal[]).map((s) => (
          <label key={s} className="radio">
            {/* Nothing chosen in advance unless the delegation has signalled: a signal is a deliberate choice, never a default. */}
            <input type="radio" name="signal" value={s} required defaultChecked={s === current} /> {signalLabels[s]}
          </label>
        ))}
        {groups.map((g) => (
          <label key={g.id} className="radio">
            <input
              type="radio"
              name="signal"
              value={`${alignPrefix}${g.id}`}
              required
              defaultChecked={`${alignPrefix}${g.id}` === current}
            />{" "}
            Align with {g.name}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason or reservation</label>
        <textarea
          id={`${id}-reason`}
          name="reason"
          rows={2}
          maxLength={maxReasonLength}
          aria-invalid={errors?.reason ? true : undefined}
          aria-describedby={errors?.reason ? `${id}-reason-errors` : undefined}
        />
        <ErrorList id={`${id}-reason-errors`} errors={errors?.reason} />
      </div>
      <ErrorList errors={[...(errors?.form ?? []), ...(errors?.clauseId ?? []), ...(errors?.signal ?? [])]} />
      <button type="submit" className="button small" disabled={fetcher.state !== "idle"}>
        Give signal
      </button>
      {result?.ok ? (
        <p role="status" className="form-message">
          {result.message}
        </p>
      ) : null}
    </fetcher.Form>
  );
}
