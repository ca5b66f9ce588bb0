import { exportFormats, formatLabels } from "~/statement/export-formats";

/**
 * "Export" on the statement page: a plain GET form to the export route, so the browser downloads
 * the file itself (no script needed, and the page stays as it is).
 */
export function ExportMenu({ documentId }: { documentId: string }) {
  return (
    <details className="export-menu">
      <summary className="button small on-dark">Export</summary>
      <form method="get" action={`/documents/${documentId}/export`} className="export-form">
        <label htmlFor="export-format">Format</label>
        <select id="export-format" name="format" defaultValue="docx">
          {exportFormats.map((f) => (
            <option key={f} value={f}>
              {formatLabels[f]}
            </option>
          ))}
        </select>
        <label className="export-draft">
          <input type="checkbox" name="draft" value="1" /> Draft (watermark, brackets)
        </label>
        <label className="export-draft">
          <input type="checkbox" name="rolling" value="1" /> Rolling text (open proposals in brackets; Word, PDF, HTML, Markdown)
        </label>
        <label className="export-draft">
          <input type="checkbox" name="attributions" value="0" /> Rolling text without attributions
        </label>
        <button type="submit" className="button small primary">
          Download
        </button>
      </form>
    </details>
  );
}
