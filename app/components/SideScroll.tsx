import { useEffect, useRef, useState, type ReactNode } from "react";

/**
 * A wide table in a region that scrolls sideways. When it does not fit (a tablet, a phone, many
 * delegations), a hint says so and which way there is more, since browsers hide scrollbars; the
 * region takes the keyboard focus so that it can be scrolled without a mouse.
 */
export function SideScroll({ label, hint, children }: { label: string; hint: string; children: ReactNode }) {
  const region = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState<{ left: boolean; right: boolean }>({ left: false, right: false });
  useEffect(() => {
    const el = region.current;
    if (!el) return;
    const measure = () => setMore({ left: el.scrollLeft > 1, right: el.scrollLeft + el.clientWidth < el.scrollWidth - 1 });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    el.addEventListener("scroll", measure, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener("scroll", measure);
    };
  }, []);
  const overflowing = more.left || more.right;
  return (
    <>
      <p className="side-scroll-hint" aria-live="polite" hidden={!overflowing}>
        {more.left ? "← " : ""}
        {hint}
        {more.right ? " →" : ""}
      </p>
      <div
        ref={region}
        className={`side-scroll${more.left ? " more-left" : ""}${more.right ? " more-right" : ""}`}
        role="region"
        aria-label={label}
        tabIndex={0}
      >
        {children}
      </div>
    </>
  );
}
