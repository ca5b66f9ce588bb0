import type { JSONContent } from "@tiptap/core";
import { newClauseId } from "../../app/statement/clause-id";

const text = (t: string, italic = false): JSONContent => ({ type: "text", text: t, ...(italic ? { marks: [{ type: "italic" }] } : {}) });

/** A clause whose opening word(s) are italic, as UN drafting has it. */
function clause(opening: string, rest: string, extra: JSONContent[] = []): JSONContent {
  return {
    type: "clause",
    attrs: { id: newClauseId() },
    content: [{ type: "paragraph", content: [text(opening, true), text(` ${rest}`)] }, ...extra],
  };
}

const bullets = (items: string[]): JSONContent => ({
  type: "bulletList",
  content: items.map((i) => ({ type: "listItem", content: [{ type: "paragraph", content: [text(i)] }] })),
});

/** The demo zero draft, written from the facts of the conference's concept note. */
export function demoStatement(): JSONContent {
  return {
    type: "doc",
    content: [
      { type: "title", content: [text("Baku Joint Statement on Humanitarian Demining for Urban Recovery")] },
      {
        type: "preamble",
        content: [
          clause(
            "We, the participants",
            "in the 4th International Mine Action Conference, co-hosted by the Mine Action Agency of the Republic of Azerbaijan and the United Nations,",
          ),
          clause(
            "Recalling",
            "the outcomes of the 3rd International Mine Action Conference, held in 2024, which linked mine action to the climate resilience agenda,",
          ),
          clause(
            "Recognizing",
            "that landmines and explosive remnants of war continue to pose one of the most severe barriers to post-conflict recovery, the safe return of displaced populations and sustainable urban development worldwide,",
          ),
          clause(
            "Noting with concern",
            "that some 11,667 km² of the territory of the Republic of Azerbaijan, 13.4 per cent of its area, is contaminated, and that more than 246,000 explosive devices, among them 64,642 landmines, have been detected since November 2020,",
          ),
          clause(
            "Acknowledging",
            "the central role of the United Nations, through UNMAS, UNDP, UNICEF and other entities, in developing the International Mine Action Standards and supporting national mine action authorities,",
          ),
          clause(
            "Welcoming",
            "the progress achieved in Azerbaijan, where clearance has enabled the reconstruction of 12 cities and 142 villages and the return of more than 26,700 former internally displaced persons under the Great Return Programme,",
          ),
          clause(
            "Mindful",
            "of the high financial and technical costs of clearance that must keep pace with reconstruction, and of uneven access to advanced technologies, specialized machinery and qualified personnel,",
          ),
        ],
      },
      {
        type: "operative",
        content: [
          clause(
            "Reaffirm",
            "that humanitarian demining is the first and indispensable step toward safe reconstruction, resettlement and urban recovery in post-conflict environments;",
          ),
          clause(
            "Call upon",
            "governments, mine action authorities and development partners to integrate demining into national urban recovery frameworks, linking clearance directly with reconstruction timelines and development priorities;",
          ),
          clause("Encourage", "data-driven decision-making and the responsible use of innovative technologies, including:", [
            bullets([
              "artificial intelligence–assisted data analysis;",
              "unmanned aerial systems for survey and monitoring;",
              "digital land-release and mapping tools;",
              "modern mechanical clearance assets;",
            ]),
          ]),
          clause(
            "Stress",
            "the importance of strict adherence to the International Mine Action Standards, continuous quality assurance and sustained investment in the training and equipment of demining personnel;",
          ),
          clause(
            "Urge",
            "stronger coordination and data-sharing between mine action actors, urban planners, infrastructure developers, local authorities and development partners, so that land released is promptly put to use;",
          ),
          clause(
            "Welcome",
            "the establishment of the International Centre of Excellence and Training for Mine Action as a global platform for capacity-building, innovation and the exchange of best practices;",
          ),
          clause(
            "Decide",
            "to convey the present Joint Statement to the 13th session of the World Urban Forum as a contribution to its deliberations on urban resilience and settlement planning.",
          ),
        ],
      },
    ],
  };
}
