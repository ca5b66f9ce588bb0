import type { ClauseSignal } from "../../server/queries/clause-signals";
import type { ClauseState } from "../../server/queries/clause-states";

export const signalLabels: Record<ClauseSignal, string> = {
  accept: "Can accept",
  not_yet: "Cannot accept yet",
  reservation: "Accepts with a reservation",
};

export const stateLabels: Record<ClauseState, string> = {
  open: "Open",
  under_negotiation: "Under negotiation",
  agreed_ad_ref: "Agreed ad referendum",
  agreed: "Agreed",
};
