/** How the pages name a breakout's and a package's status. */
export const breakoutStatusLabel = (status: string) =>
  ({ active: "drafting", submitted: "outcome submitted to the plenary", ended: "ended" })[status] ?? status;

export const packageStatusLabel = (status: string) =>
  ({
    submitted: "Submitted",
    discussion: "Open for discussion",
    accepted: "Accepted",
    rejected: "Rejected",
    not_taken_up: "Not taken up",
  })[status] ?? status;
