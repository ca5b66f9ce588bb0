import { formatLabels, type ExportFormat } from "~/statement/export-formats";

/**
 * "Export" on the statement page: a plain GET form to the export route, so the browser downloads
 * the file itself (no script needed, and the page stays as it is). It offers the formats the person
 * may download, and the rolling text only to those who see the negotiation (the server decides the same).
 */
export function ExportMenu({ documentId, formats, rolling }: { documentId: string; formats: readonly ExportFormat[]; rolling: boolean }) {
  return (
    <details className="export-menu">
      <summary className="button small on-dark">Export</summary>
      <form method="get" action={`/documents/${documentId}/export`} className="export-form">
        <label htmlFor="export-format">Format</label>
        <select id="export-format" name="format" defaultValue="docx">
          {formats.map((f) => (
            <option key={f} value={f}>
              {formatLabels[f]}
            </option>
          ))}
        </select>
        <label className="export-draft">
          <input type="checkbox" name="draft" value="1" /> Draft (watermark, brackets)
        </label>
        {rolling ? (
          <fieldset className="export-rolling">
            <legend>Rolling text (Word, PDF, HTML, Markdown)</legend>
            <label className="export-draft">
              <input type="checkbox" name="rolling" value="1" /> Open proposals in brackets, with their sponsors
            </label>
            <label className="export-draft">
              <input type="checkbox" name="attributions" value="0" /> Without the sponsors
            </label>
          </fieldset>
        ) : null}
        <button type="submit" className="button small primary">
          Download
        </button>
      </form>
    </details>
  );
}
