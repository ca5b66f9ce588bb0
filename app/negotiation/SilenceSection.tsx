import { useEffect, useId, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { CsrfInput, ErrorList, Field, SelectField } from "~/components/forms";
import { formatUtc } from "~/utils/dates";
import { commonTimeZones, formatInZone } from "./time-zones";
import { maxReasonLength } from "~/statement/limits";
import type { SilenceStatus } from "~/statement/vocabulary";
import type { action as silenceAction } from "~/routes/documents.$documentId.silence";
import type { OpenBusiness } from "../../server/negotiation/open-business";
import { OpenBusinessList } from "./OpenBusinessList";
import { ConfirmDialog } from "~/components/ConfirmDialog";

export interface SilenceInfo {
  status: SilenceStatus;
  deadline: Date | string;
  timeZone: string;
  note: string;
  openedByName: string;
  closedAt: Date | string | null;
  objectingDelegationName: string | null;
  objection: string | null;
}

/** True once mounted: what depends on the viewer's clock or zone is rendered in the browser only. */
function useMounted(): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [active]);
  return now;
}

function countdown(ms: number): string {
  if (ms <= 0) return "the deadline has come; closing…";
  const s = Math.floor(ms / 1000);
  const [d, h, m, sec] = [Math.floor(s / 86400), Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60), s % 60];
  return `${d > 0 ? `${d} d ` : ""}${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")} left`;
}

/**
 * The silence procedure on the statement page: its deadline (in the chair's zone and the
 * viewer's), a countdown, the objection form for delegates, and open/cancel for the chair; after
 * it ends, how it ended.
 */
export function SilenceSection({
  documentId,
  silence,
  adopted,
  isChair,
  canObject,
  openBusiness,
}: {
  documentId: string;
  silence: SilenceInfo | null;
  adopted: boolean;
  isChair: boolean;
  canObject: boolean;
  /** For the chair while no procedure runs: what is still open on the text. */
  openBusiness: OpenBusiness | null;
}) {
  const mounted = useMounted();
  const running = silence?.status === "running";
  const now = useNow(running);
  const deadline = silence ? new Date(silence.deadline) : null;

  return (
    <section className={`silence-section${running ? " silence-running" : ""}`} aria-labelledby="silence-heading">
      <h2 id="silence-heading">Silence procedure</h2>
      {adopted ? (
        <p className="silence-adopted" role="note">
          The text is adopted{silence?.status === "passed" ? " under the silence procedure" : ""}; it is locked.
        </p>
      ) : null}
      {running && deadline ? (
        <div className="silence-banner" data-testid="silence-running">
          <p>
            <strong>Silence is running; the text is locked.</strong> Deadline:{" "}
            {mounted ? formatInZone(deadline, silence.timeZone) : formatUtc(deadline)} ({silence.timeZone})
            {mounted ? <>, your time {formatInZone(deadline)}</> : null}.
          </p>
          {mounted ? (
            <p className="silence-countdown" aria-live="off">
              {countdown(deadline.getTime() - now)}
            </p>
          ) : null}
          {silence.note ? <p className="silence-note">Chair's note: {silence.note}</p> : null}
        </div>
      ) : null}
      {silence?.status === "broken" ? (
        <div className="silence-broken" role="note" data-testid="silence-broken">
          <p>
            <strong>Silence was broken by {silence.objectingDelegationName}</strong>
            {silence.closedAt ? ` on ${formatUtc(silence.closedAt)}` : ""}. Negotiation has reopened.
          </p>
          <blockquote>{silence.objection}</blockquote>
        </div>
      ) : null}
      {silence?.status === "cancelled" && !running ? <p className="muted">The last silence procedure was cancelled by the chair.</p> : null}
      {running && canObject ? <ObjectForm documentId={documentId} /> : null}
      {running && isChair ? <CancelForm documentId={documentId} /> : null}
      {!running && !adopted && isChair && openBusiness ? <OpenForm documentId={documentId} business={openBusiness} /> : null}
    </section>
  );
}

function ObjectForm({ documentId }: { documentId: string }) {
  const fetcher = useFetcher<typeof silenceAction>();
  const id = useId();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? result.errors : undefined;
  const [confirming, setConfirming] = useState(false);
  // Once the objection is answered (silence broken, or refused with the reason shown), the dialog has served.
  useEffect(() => setConfirming(false), [fetcher.data]);
  return (
    <fetcher.Form method="post" action={`/documents/${documentId}/silence`} className="silence-object">
      <CsrfInput />
      <input type="hidden" name="intent" value="object" />
      <div className="field">
        <label htmlFor={`${id}-objection`}>Your delegation's objection</label>
        <textarea
          id={`${id}-objection`}
          name="objection"
          rows={3}
          maxLength={maxReasonLength}
          aria-invalid={errors?.objection ? true : undefined}
          aria-describedby={errors?.objection ? `${id}-objection-errors` : undefined}
        />
        <ErrorList id={`${id}-objection-errors`} errors={errors?.objection} />
      </div>
      <ErrorList errors={errors?.form} />
      <button
        type="button"
        className="button small danger"
        aria-haspopup="dialog"
        disabled={fetcher.state !== "idle"}
        onClick={() => setConfirming(true)}
      >
        Break silence
      </button>
      {confirming ? <BreakSilenceDialog busy={fetcher.state !== "idle"} onCancel={() => setConfirming(false)} /> : null}
    </fetcher.Form>
  );
}

/**
 * The delegate's confirmation before breaking silence, which cannot be undone: it ends the
 * procedure for every delegation. Inside the objection's form, so its button sends the objection.
 */
function BreakSilenceDialog({ busy, onCancel }: { busy: boolean; onCancel: () => void }) {
  return (
    <ConfirmDialog
      title="Break the silence procedure?"
      onCancel={onCancel}
      actions={
        <div className="dialog-actions">
          <button type="submit" className="button danger" disabled={busy}>
            Break silence now
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      }
    >
      The procedure ends for everyone and the text stays unadopted; your objection is recorded with your delegation's name. This cannot be
      undone.
    </ConfirmDialog>
  );
}

function CancelForm({ documentId }: { documentId: string }) {
  const fetcher = useFetcher<typeof silenceAction>();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  return (
    <fetcher.Form method="post" action={`/documents/${documentId}/silence`} className="silence-cancel">
      <CsrfInput />
      <input type="hidden" name="intent" value="cancel" />
      <ErrorList errors={result && !result.ok ? result.errors?.form : undefined} />
      <button type="submit" className="button small" disabled={fetcher.state !== "idle"}>
        Cancel the silence procedure
      </button>
    </fetcher.Form>
  );
}

function OpenForm({ documentId, business }: { documentId: string; business: OpenBusiness }) {
  const fetcher = useFetcher<typeof silenceAction>();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? result.errors : undefined;
  const [zone, setZone] = useState("UTC");
  // The chair's own zone by default, known only in the browser.
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"), []);
  const zones = commonTimeZones.includes(zone) ? commonTimeZones : [zone, ...commonTimeZones];
  return (
    <details className="silence-open">
      <summary>Open a silence procedure</summary>
      <fetcher.Form method="post" action={`/documents/${documentId}/silence`}>
        <CsrfInput />
        <input type="hidden" name="intent" value="open" />
        <Field label="Deadline date" name="date" type="date" required errors={errors?.date} />
        <Field label="Deadline time" name="time" type="time" step={1} required errors={errors?.time} />
        <SelectField
          label="Time zone"
          name="timeZone"
          value={zone}
          onChange={(e) => setZone(e.target.value)}
          errors={errors?.timeZone}
          options={zones.map((z) => ({ value: z, label: z.replace(/_/g, " ") }))}
        />
        <Field label="Note (optional)" name="note" type="text" maxLength={maxReasonLength} errors={errors?.note} />
        <OpenBusinessList documentId={documentId} business={business} errors={errors?.openBusiness} />
        <ErrorList errors={errors?.form} />
        <p className="hint">While it runs, the whole text is locked. Any delegation may break silence with a written objection.</p>
        <button type="submit" className="button small" disabled={fetcher.state !== "idle"}>
          Open the silence procedure
        </button>
      </fetcher.Form>
    </details>
  );
}
