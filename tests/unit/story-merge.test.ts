import { describe, expect, it } from "vitest";
import { mergeStory, storyPageSize } from "../../server/negotiation/story/story";
import type { StateEntry, StoryEntry, TextEntry } from "../../server/negotiation/story/entries";

const at = (minute: number) => new Date(Date.UTC(2026, 4, 12, 9, minute)).toISOString();
const text = (minute: number, t: string): TextEntry => ({
  kind: "text",
  at: at(minute),
  label: "OP1",
  text: t,
  before: null,
  origin: { type: "edit", writers: [] },
  version: null,
});
const state = (minute: number, reason: string): StateEntry => ({ kind: "state", at: at(minute), state: "agreed", reason, by: "Chair" });
const describeEntry = (e: StoryEntry) => (e.kind === "text" ? `text ${e.text}` : e.kind === "state" ? `state ${e.reason}` : e.kind);

describe("merging a paragraph's story", () => {
  it("orders the sources' entries by time; at the same moment, in the order of the sources, then of each source", () => {
    const story = mergeStory(
      [
        [text(1, "a"), text(3, "b")],
        [state(2, "x"), state(3, "y"), state(3, "z")],
      ],
      null,
    );
    expect(story.entries.map(describeEntry)).toEqual(["text a", "state x", "text b", "state y", "state z"]);
    expect(story.latest?.text).toBe("b");
    expect([story.page, story.pages, story.total]).toEqual([1, 1, 5]);
  });

  it("pages a long story, the newest page by default, and keeps the clause's latest text whatever the page", () => {
    const states = Array.from({ length: 2 * storyPageSize + 10 }, (_, i) => state(i + 1, `s${i}`));
    const told = [[text(0, "first"), text(1000, "last")], states];
    const newest = mergeStory(told, null);
    expect([newest.page, newest.pages, newest.total]).toEqual([3, 3, 2 * storyPageSize + 12]);
    expect(newest.entries).toHaveLength(12);
    expect(newest.entries.slice(-2).map(describeEntry)).toEqual([`state s${2 * storyPageSize + 9}`, "text last"]);
    const first = mergeStory(told, 1);
    expect(first.entries).toHaveLength(storyPageSize);
    expect(first.entries.slice(0, 2).map(describeEntry)).toEqual(["text first", "state s0"]);
    expect(first.latest?.text).toBe("last");
    expect(mergeStory(told, 99).page).toBe(3);
  });

  it("has no page beyond the first and no latest text when nothing happened", () => {
    expect(mergeStory([[], []], 5)).toEqual({ entries: [], page: 1, pages: 1, total: 0, latest: null });
  });
});
