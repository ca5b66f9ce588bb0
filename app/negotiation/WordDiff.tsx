import { useMemo } from "react";
import { wordDiff, type DiffSegment } from "~/statement/word-diff";

/**
 * A text with its changes marked inline: insertions underlined, deletions struck through, each
 * announced to screen readers (the strike and underline alone are not read out).
 */
export function WordDiff({ from, to, className }: { from: string; to: string; className?: string }) {
  const segments = useMemo(() => wordDiff(from, to), [from, to]);
  return <DiffSegments segments={segments} className={className} />;
}

/** Segments of a diff made elsewhere (a redline, the compilation), marked as WordDiff marks them. */
export function DiffSegments({ segments, className }: { segments: DiffSegment[]; className?: string }) {
  return (
    <p className={["word-diff", className].filter(Boolean).join(" ")}>
      {segments.map((s, i) =>
        s.type === "equal" ? (
          <span key={i}>{s.text}</span>
        ) : s.type === "insert" ? (
          <ins key={i}>
            <span className="visually-hidden">[inserted: </span>
            {s.text}
            <span className="visually-hidden">]</span>
          </ins>
        ) : (
          <del key={i}>
            <span className="visually-hidden">[deleted: </span>
            {s.text}
            <span className="visually-hidden">]</span>
          </del>
        ),
      )}
    </p>
  );
}
