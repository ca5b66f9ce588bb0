import { useId, useRef, useState } from "react";

/**
 * A read-only text (an invitation link) with a Copy button. The clipboard API needs a secure
 * context; elsewhere the text is selected and copied the old way, and failing that, left
 * selected for the person to copy.
 */
export function CopyField({ label, value, hint }: { label: string; value: string; hint?: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState("");

  async function copy() {
    const el = input.current;
    try {
      if (navigator.clipboard?.writeText) {
        await navigator.clipboard.writeText(value);
      } else {
        el?.select();
        if (!document.execCommand("copy")) throw new Error("copy refused");
      }
      setStatus("Link copied to the clipboard.");
    } catch {
      el?.focus();
      el?.select();
      setStatus("Could not copy automatically: the link is selected, press Ctrl+C (⌘C on a Mac) to copy it.");
    }
  }

  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <div className="copy-row">
        <input
          id={id}
          ref={input}
          type="text"
          readOnly
          value={value}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onFocus={(e) => e.currentTarget.select()}
          spellCheck={false}
        />
        <button type="button" className="button small" onClick={copy}>
          Copy<span className="visually-hidden"> {label.toLowerCase()}</span>
        </button>
      </div>
      <p role="status" className="copy-status">
        {status}
      </p>
    </div>
  );
}
