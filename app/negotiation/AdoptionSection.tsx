import { useEffect, useRef, useState } from "react";
import { Link, useFetcher } from "@remix-run/react";
import { CsrfInput, ErrorList, Field, SelectField } from "~/components/forms";
import { commonTimeZones } from "./time-zones";
import { maxTitleLength } from "~/statement/limits";
import type { action as adoptionAction } from "~/routes/documents.$documentId.adoption";
import type { OpenBusiness } from "../../server/negotiation/open-business";
import { OpenBusinessList } from "./OpenBusinessList";
import { ConfirmDialog } from "~/components/ConfirmDialog";

/**
 * How the text was adopted (its adoption line) and its explanations of position; before that, for
 * the chair, adoption by consensus in plenary (the silence procedure is the other way).
 */
export function AdoptionSection({
  documentId,
  adoptionLine,
  explanations,
  openBusiness,
}: {
  documentId: string;
  /** Null until adopted. */
  adoptionLine: string | null;
  /** How many explanations of position stand; null for a reader who may not see them yet. */
  explanations: number | null;
  /** For the chair while the text can be adopted in plenary: what is still open on it. */
  openBusiness: OpenBusiness | null;
}) {
  return (
    <section className="adoption-section" aria-label="Adoption">
      {adoptionLine ? (
        <p className="adoption-line" role="note">
          <strong>{adoptionLine}</strong>
        </p>
      ) : null}
      {explanations !== null ? (
        <p>
          <Link to={`/documents/${documentId}/explanations`}>Explanations of position{explanations > 0 ? ` (${explanations})` : ""}</Link>
        </p>
      ) : null}
      {!adoptionLine && openBusiness ? <AdoptForm documentId={documentId} business={openBusiness} /> : null}
    </section>
  );
}

/** Rendered only once opened: the silence form beside it lists the same open business, and one list at a time is clearer. */
function AdoptForm({ documentId, business }: { documentId: string; business: OpenBusiness }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="adopt-in-plenary" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Adopt by consensus in plenary</summary>
      {open ? <AdoptFields documentId={documentId} business={business} /> : null}
    </details>
  );
}

function AdoptFields({ documentId, business }: { documentId: string; business: OpenBusiness }) {
  const fetcher = useFetcher<typeof adoptionAction>();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? result.errors : undefined;
  const [zone, setZone] = useState("UTC");
  // The chair's own zone by default, known only in the browser.
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"), []);
  const zones = commonTimeZones.includes(zone) ? commonTimeZones : [zone, ...commonTimeZones];
  const formRef = useRef<HTMLFormElement>(null);
  const [confirming, setConfirming] = useState(false);
  // Once answered (adopted, or refused with the reason shown), the dialog has served.
  useEffect(() => setConfirming(false), [fetcher.data]);
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post" action={`/documents/${documentId}/adoption`} ref={formRef}>
      <CsrfInput />
      <Field
        label="Meeting (optional)"
        name="meeting"
        type="text"
        maxLength={maxTitleLength}
        placeholder="its 4th plenary meeting"
        hint="Read as “Adopted by consensus at … on <date>”."
        errors={errors?.meeting}
      />
      <SelectField
        label="Time zone of the meeting"
        name="timeZone"
        value={zone}
        onChange={(e) => setZone(e.target.value)}
        errors={errors?.timeZone}
        options={zones.map((z) => ({ value: z, label: z.replace(/_/g, " ") }))}
      />
      <OpenBusinessList documentId={documentId} business={business} errors={errors?.openBusiness} />
      <ErrorList errors={errors?.form} />
      <p className="hint">Every clause becomes agreed and the text is locked for good.</p>
      <button
        type="button"
        className="button small"
        aria-haspopup="dialog"
        disabled={busy}
        // The form's own checks (the open business confirmed) come before the chair is asked to be sure.
        onClick={() => formRef.current?.reportValidity() && setConfirming(true)}
      >
        Adopt the text by consensus
      </button>
      {confirming ? (
        <ConfirmDialog
          title="Adopt the text by consensus?"
          onCancel={() => setConfirming(false)}
          actions={
            <div className="dialog-actions">
              <button type="submit" className="button" disabled={busy}>
                Adopt now
              </button>
              <button type="button" className="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          }
        >
          Every clause becomes agreed and the text is locked for good; open proposals close as not taken up. This cannot be undone.
        </ConfirmDialog>
      ) : null}
    </fetcher.Form>
  );
}
