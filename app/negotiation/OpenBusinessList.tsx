import { useId } from "react";
import { Link } from "@remix-run/react";
import { ErrorList } from "~/components/forms";
import { proposalKindLabels } from "~/statement/negotiation-labels";
import type { OpenBusiness } from "../../server/negotiation/open-business";

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * In the chair's forms to open a silence procedure and to adopt in plenary: the business still open on the text, and the
 * confirmation the server requires to go ahead with it (its value names exactly what is listed).
 */
export function OpenBusinessList({ documentId, business, errors }: { documentId: string; business: OpenBusiness; errors?: string[] }) {
  const id = useId();
  const { proposals, notYet } = business;
  if (proposals.length + notYet.length === 0) return null;
  return (
    <div className="open-business" role="group" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Business still open</h3>
      {proposals.length > 0 ? (
        <>
          <p>{count(proposals.length, "submitted proposal awaits", "submitted proposals await")} a decision:</p>
          <ul className="open-proposals">
            {proposals.map((p) => (
              <li key={p.id}>
                <Link to={`/documents/${documentId}/proposals/${p.id}`}>
                  P{p.number} · {proposalKindLabels[p.kind]} {p.target}
                </Link>{" "}
                ({p.sponsor})
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {notYet.length > 0 ? (
        <>
          <p>
            {count(notYet.length, "delegation signal says", "delegation signals say")} “cannot accept yet” (
            <Link to={`/documents/${documentId}/consensus`}>consensus matrix</Link>):
          </p>
          <ul className="open-signals">
            {notYet.map((s) => (
              <li key={s.id}>
                {s.delegationName} ({s.delegationCode}
                {s.alignedWith ? `, aligned with ${s.alignedWith}` : ""}) on {s.clause}: “{s.reason}”
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <div className="checkbox-field">
        <input
          id={`${id}-confirm`}
          type="checkbox"
          name="openBusiness"
          value={business.token}
          required
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={errors?.length ? `${id}-errors` : undefined}
        />
        <label htmlFor={`${id}-confirm`}>
          {proposals.length === 0
            ? "Go ahead although these delegations cannot accept yet"
            : `Close the ${count(proposals.length, "open proposal", "open proposals")} as not taken up at adoption` +
              (notYet.length > 0 ? ", and go ahead although these delegations cannot accept yet" : "")}
        </label>
      </div>
      <ErrorList id={`${id}-errors`} errors={errors} />
    </div>
  );
}
