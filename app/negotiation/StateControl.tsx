import { useId } from "react";
import { useFetcher } from "@remix-run/react";
import { CsrfInput, ErrorList, SelectField } from "~/components/forms";
import { stateLabels } from "~/statement/negotiation-labels";
import { maxReasonLength } from "~/statement/limits";
import type { ClauseState } from "~/statement/vocabulary";
import type { action as setState } from "~/routes/documents.$documentId.states";

/** The chair sets the current clause's state; agreeing it locks its text until it is reopened. */
export function StateControl({ documentId, clauseId, state }: { documentId: string; clauseId: string; state: ClauseState }) {
  const fetcher = useFetcher<typeof setState>();
  const id = useId();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? result.errors : undefined;
  return (
    <fetcher.Form method="post" action={`/documents/${documentId}/states`} className="state-form" key={`${clauseId} ${state}`}>
      <CsrfInput />
      <input type="hidden" name="clauseId" value={clauseId} />
      <SelectField
        label="Clause state"
        name="state"
        defaultValue={state}
        errors={errors?.state}
        options={(Object.keys(stateLabels) as ClauseState[]).map((s) => ({ value: s, label: stateLabels[s] }))}
      />
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason (optional)</label>
        <input id={`${id}-reason`} name="reason" type="text" maxLength={maxReasonLength} />
      </div>
      <ErrorList errors={[...(errors?.form ?? []), ...(errors?.clauseId ?? []), ...(errors?.reason ?? [])]} />
      <button type="submit" className="button small" disabled={fetcher.state !== "idle"}>
        Set state
      </button>
      {result?.ok ? (
        <p role="status" className="form-message">
          {result.message}
        </p>
      ) : null}
    </fetcher.Form>
  );
}
