import { Form, Link } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CsrfInput } from "~/components/forms";
import type { Member } from "./types";

/** "Remove …?": asked on its own, with the heading focused, before a participant is taken out. */
export function RemoveConfirmation({
  removing,
  conferenceTitle,
  path,
  busy,
}: {
  removing: Member;
  conferenceTitle: string;
  path: string;
  busy: boolean;
}) {
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    confirmHeading.current?.focus();
  }, [removing.userId]);
  return (
    <section className="card confirm-card" aria-labelledby="confirm-remove">
      <h3 id="confirm-remove" ref={confirmHeading} tabIndex={-1}>
        Remove {removing.name}?
      </h3>
      <p>
        {removing.name} ({removing.email}) will lose access to {conferenceTitle} at once: open documents close for them. Their account
        stays; they can be invited again.
      </p>
      <Form method="post" action={path} className="confirm-actions">
        <CsrfInput />
        <input type="hidden" name="intent" value="remove" />
        <input type="hidden" name="userId" value={removing.userId} />
        <button type="submit" className="button danger" disabled={busy}>
          Yes, remove {removing.name}
        </button>
        <Link to={path} className="button">
          Cancel
        </Link>
      </Form>
    </section>
  );
}
