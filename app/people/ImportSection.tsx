import { Form } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CopyField } from "~/components/CopyField";
import { CsrfInput, Field } from "~/components/forms";
import type { FieldErrors } from "~/utils/forms";
import type { ImportOutcome, ImportReportRow } from "../../server/people/import";

const outcomeLabels: Record<ImportOutcome, string> = {
  added: "Added",
  updated: "Updated",
  unchanged: "Unchanged",
  invited: "Invited",
  kept: "Kept",
  rejected: "Rejected",
};

/** The CSV import form, and the report of the import just done (emptying the form). */
export function ImportSection({
  path,
  report,
  errors,
  busy,
}: {
  path: string;
  report: ImportReportRow[] | null;
  errors: FieldErrors;
  busy: boolean;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (report) formRef.current?.reset();
  }, [report]);
  return (
    <section className="card" aria-labelledby="import">
      <h3 id="import">Import from a CSV file</h3>
      <p className="hint">
        A header row naming the columns <code>name</code>, <code>email</code>, <code>delegation</code> and <code>role</code> (secretariat,
        chair, delegate, observer or translator), and <code>language</code> if there are translators, then one row per person. The
        delegation, given by its code or name, only for delegates; the language, given by its code (<code>fr</code>) or name (French), one
        of the conference&apos;s languages, only for translators. UTF-8, at most 1 MB. People with an account are added at once; everyone
        else gets an invitation link.
      </p>
      <Form method="post" action={path} encType="multipart/form-data" className="form inline-form" noValidate ref={formRef}>
        <CsrfInput />
        <input type="hidden" name="intent" value="import" />
        <Field label="CSV file" name="file" type="file" accept=".csv,text/csv" required errors={errors.file} />
        <button type="submit" className="button primary" disabled={busy}>
          Import
        </button>
      </Form>
      {report ? <ImportReport rows={report} /> : null}
    </section>
  );
}

function ImportReport({ rows }: { rows: ImportReportRow[] }) {
  return (
    <table className="data-table import-report">
      <caption>Import report, row by row</caption>
      <thead>
        <tr>
          <th scope="col">Row</th>
          <th scope="col">Name</th>
          <th scope="col">E-mail</th>
          <th scope="col">Result</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.row} data-row={r.row} data-outcome={r.outcome}>
            <th scope="row">{r.row}</th>
            <td>{r.name || "—"}</td>
            <td>{r.email || "—"}</td>
            <td>
              <span className={`outcome outcome-${r.outcome}`}>{outcomeLabels[r.outcome]}</span>
            </td>
            <td>
              <ul className="report-messages">
                {r.messages.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
              {r.link ? <CopyField label={`Invitation link for ${r.email}`} value={r.link} /> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
