import { useEffect, useId, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { CsrfInput, ErrorList, SelectField } from "~/components/forms";
import { stateLabels } from "~/statement/negotiation-labels";
import { maxReasonLength } from "~/statement/limits";
import type { ClauseState } from "~/statement/vocabulary";
import type { action as setState } from "~/routes/documents.$documentId.states";

/**
 * The chair sets the current clause's state; agreeing it locks its text until it is reopened.
 * Agreeing it while delegations say they cannot accept it yet takes a confirmation naming them.
 */
export function StateControl({
  documentId,
  clauseId,
  clauseLabel,
  state,
  notYet,
}: {
  documentId: string;
  clauseId: string;
  clauseLabel: string;
  state: ClauseState;
  /** The delegations whose latest signal on the clause is "cannot accept yet". */
  notYet: { delegationId: string; delegationName: string }[];
}) {
  const fetcher = useFetcher<typeof setState>();
  const id = useId();
  const [chosen, setChosen] = useState<ClauseState>(state);
  // Another clause, or this one's state set meanwhile: the choice starts again from its state.
  useEffect(() => setChosen(state), [clauseId, state]);
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? result.errors : undefined;
  const overriding = chosen === "agreed" && state !== "agreed" && notYet.length > 0;
  return (
    <fetcher.Form method="post" action={`/documents/${documentId}/states`} className="state-form" key={`${clauseId} ${state}`}>
      <CsrfInput />
      <input type="hidden" name="clauseId" value={clauseId} />
      <SelectField
        label="Clause state"
        name="state"
        value={chosen}
        onChange={(e) => setChosen(e.target.value as ClauseState)}
        errors={errors?.state}
        options={(Object.keys(stateLabels) as ClauseState[]).map((s) => ({ value: s, label: stateLabels[s] }))}
      />
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason (optional)</label>
        <input id={`${id}-reason`} name="reason" type="text" maxLength={maxReasonLength} />
      </div>
      {overriding ? (
        <div className="state-warning" role="group" aria-labelledby={`${id}-warning`}>
          <p id={`${id}-warning`}>
            <strong>{notYet.map((s) => s.delegationName).join(", ")}</strong> {notYet.length === 1 ? "says it" : "say they"} cannot accept{" "}
            {clauseLabel} yet.
          </p>
          <div className="checkbox-field">
            <input
              id={`${id}-override`}
              type="checkbox"
              name="overriding"
              value={notYet.map((s) => s.delegationId).join(",")}
              required
              aria-invalid={errors?.overriding ? true : undefined}
            />
            <label htmlFor={`${id}-override`}>
              Agree {clauseLabel} over {notYet.length === 1 ? "this signal" : "these signals"}
            </label>
          </div>
        </div>
      ) : null}
      <ErrorList
        errors={[...(errors?.form ?? []), ...(errors?.clauseId ?? []), ...(errors?.overriding ?? []), ...(errors?.reason ?? [])]}
      />
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
