import { Form } from "@remix-run/react";
import { CsrfInput } from "~/components/forms";
import { formatUtc } from "~/utils/dates";
import { describeRole } from "~/statement/people-labels";
import type { Invitation } from "./types";

const statusLabels = { pending: "Pending", accepted: "Accepted", expired: "Expired", revoked: "Revoked" } as const;

/** Every invitation of the conference, with its state; a pending one can be revoked. */
export function InvitationsTable({
  invitations,
  conferenceTitle,
  path,
  busy,
}: {
  invitations: Invitation[];
  conferenceTitle: string;
  path: string;
  busy: boolean;
}) {
  return (
    <section aria-labelledby="invitations">
      <h3 id="invitations">Invitations</h3>
      {invitations.length === 0 ? (
        <p>No invitations yet.</p>
      ) : (
        <table className="data-table invitations-table">
          <caption className="visually-hidden">Invitations to {conferenceTitle}</caption>
          <thead>
            <tr>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Valid until</th>
              <th scope="col">
                <span className="visually-hidden">Revoke</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id} data-status={i.status}>
                <th scope="row">{i.email}</th>
                <td>
                  {describeRole(
                    i.role,
                    i.delegationName && i.delegationCode ? { name: i.delegationName, code: i.delegationCode } : null,
                    i.language,
                  )}
                </td>
                <td>
                  <span className={`invitation-status status-${i.status}`}>{statusLabels[i.status]}</span>
                </td>
                <td>{i.status === "accepted" && i.acceptedAt ? `Accepted ${formatUtc(i.acceptedAt)}` : formatUtc(i.expiresAt)}</td>
                <td>
                  {i.status === "pending" ? (
                    <Form method="post" action={path}>
                      <CsrfInput />
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="invitationId" value={i.id} />
                      <button type="submit" className="button small danger" disabled={busy}>
                        Revoke<span className="visually-hidden"> the invitation of {i.email}</span>
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
