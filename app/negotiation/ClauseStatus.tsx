import { formatUtc } from "~/utils/dates";
import { signalLabels, stateLabels } from "~/statement/negotiation-labels";
import type { ClauseSignal, ClauseState, GivenSignal } from "~/statement/vocabulary";

export interface SignalEntry<S extends GivenSignal = ClauseSignal> {
  id: string;
  clauseId: string;
  delegationId: string;
  delegationName: string;
  signal: S;
  reason: string;
  userName: string;
  createdAt: Date | string;
  /** The delegation negotiates, so the signal counts toward consensus. */
  counts: boolean;
  /** The group whose signal this member delegation aligned with. */
  alignedWith: { id: string; code: string; name: string } | null;
}

export interface StateEntry {
  id: string;
  clauseId: string;
  state: ClauseState;
  reason: string;
  userName: string | null;
  createdAt: Date | string;
}

export const alignedLabel = (group: { code: string }) => `aligned with ${group.code}`;

/** A clause's state and the delegations' effective signals on it, with their history as given: shown to everyone. */
export function ClauseStatus({
  clauseId,
  state,
  effective,
  signals,
  states,
}: {
  clauseId: string;
  state: ClauseState;
  effective: SignalEntry[];
  signals: SignalEntry<GivenSignal>[];
  states: StateEntry[];
}) {
  const current = effective.filter((s) => s.clauseId === clauseId);
  const signalHistory = signals.filter((s) => s.clauseId === clauseId);
  const stateHistory = states.filter((s) => s.clauseId === clauseId);
  return (
    <div className="clause-status">
      <p className="clause-state-line">
        State:{" "}
        <span className={`state-badge state-${state}`} data-testid="clause-state">
          {stateLabels[state]}
        </span>
      </p>
      <h3>Signals</h3>
      {current.length === 0 ? (
        <p className="muted">No delegation has signalled on this clause yet.</p>
      ) : (
        <ul className="signal-list">
          {current.map((s) => (
            <li key={s.id} className={`signal-${s.signal}`}>
              <strong>{s.delegationName}</strong>
              {s.alignedWith ? <span className="signal-aligned"> ({alignedLabel(s.alignedWith)})</span> : null}: {signalLabels[s.signal]}
              {s.reason ? <span className="signal-reason"> — {s.reason}</span> : null}
              {s.counts ? null : <span className="muted"> (does not count toward consensus)</span>}
            </li>
          ))}
        </ul>
      )}
      {signalHistory.length + stateHistory.length > 0 ? (
        <details className="clause-history">
          <summary>History</summary>
          <ul>
            {[
              ...signalHistory.map((s) => ({
                id: `s${s.id}`,
                at: s.createdAt,
                text: `${s.delegationName} (${s.userName}): ${
                  s.signal === "align" ? `Aligned with ${s.alignedWith?.name ?? "its group"}` : signalLabels[s.signal]
                }${s.reason ? ` — ${s.reason}` : ""}`,
              })),
              ...stateHistory.map((s) => ({
                id: `c${s.id}`,
                at: s.createdAt,
                text: `${stateLabels[s.state]}, set by ${s.userName ?? "the silence procedure"}${s.reason ? ` — ${s.reason}` : ""}`,
              })),
            ]
              .sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime())
              .map((e) => (
                <li key={e.id}>
                  <time dateTime={new Date(e.at).toISOString()}>{formatUtc(new Date(e.at))}</time> {e.text}
                </li>
              ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
