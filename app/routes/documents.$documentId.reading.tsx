import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { actorOf } from "../../server/negotiation/actor";
import { endReadingOf, markReading, moveReading, startReading } from "../../server/readings/readings";
import { readProtectedForm, requireDocumentPermission } from "~/utils/auth.server";
import { answeringRefusals } from "~/utils/refusals.server";
import { parseForm } from "~/utils/forms";
import { done, refused } from "~/utils/resource-responses";
import { readingOutcomes, type ReadingOutcome } from "~/statement/readings";

const clauseId = z.string({ error: "Choose a paragraph." }).trim().min(1, "Choose a paragraph.").max(100);

const readingSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("start"), number: z.enum(["1", "2"], { error: "Choose the first or the second reading." }) }),
  z.object({ intent: z.literal("move"), to: z.enum(["next", "previous", "clause"]), clauseId: clauseId.optional() }),
  z.object({ intent: z.literal("mark"), clauseId, outcome: z.enum(readingOutcomes as [ReadingOutcome, ...ReadingOutcome[]]) }),
  z.object({ intent: z.literal("end") }),
]);

/**
 * The chair runs a reading (the rules are in server/readings/readings.ts). Everyone else is
 * refused before what they sent is read: the route asks for the chair's right, the command again.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, access, document } = await requireDocumentPermission(request, context, params.documentId, "negotiation:chair");
  const form = await readProtectedForm(request, context, user);
  const parsed = parseForm(form, readingSchema);
  if (!parsed.ok) return refused(parsed);
  const input = parsed.data;
  const actor = actorOf(access);
  const documentId = document.id;
  return answeringRefusals(refused, async () => {
    switch (input.intent) {
      case "start":
        return done({ reading: await startReading(context.sql, actor, { documentId, number: input.number === "1" ? 1 : 2 }) });
      case "move": {
        if (input.to === "clause" && !input.clauseId) return refused({ errors: { clauseId: ["Choose a paragraph."] } });
        const to = input.to === "clause" ? { clauseId: input.clauseId! } : input.to;
        return done({ reading: await moveReading(context.sql, actor, { documentId, to }) });
      }
      case "mark":
        return done({ reading: await markReading(context.sql, actor, { documentId, clauseId: input.clauseId, outcome: input.outcome }) });
      case "end":
        await endReadingOf(context.sql, actor, { documentId });
        return done({ reading: null });
    }
  });
}
