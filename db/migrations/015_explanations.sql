-- How a statement was adopted, for its adoption line ("Adopted by consensus at its 4th plenary
-- meeting on 12 May 2026." / "Adopted by silence procedure ending 12 May 2026 at 18:00 (Baku
-- time, UTC+04:00)."), and the delegations' explanations of position, annexed to it.

-- Set with adopted_at: 'consensus' when the chair declares it adopted in plenary, 'silence' when
-- a silence procedure passes. adoption_time is the plenary decision or the silence deadline;
-- adoption_time_zone the zone the line states it in (the deadline's zone for silence).
alter table documents
  add column adoption_method text check (adoption_method in ('consensus', 'silence')),
  add column adoption_time timestamptz,
  add column adoption_time_zone text,
  -- Optional, as the chair words it: "its 4th plenary meeting".
  add column adoption_meeting text,
  add constraint documents_adoption_record_check
    check ((adoption_method is null) = (adoption_time is null) and (adoption_method is null) = (adoption_time_zone is null));

-- Statements adopted before this record existed were adopted by silence passing at its deadline.
update documents d set adoption_method = 'silence', adoption_time = s.deadline, adoption_time_zone = s.time_zone
from silence_procedures s
where s.document_id = d.id and s.status = 'passed' and d.adopted_at is not null;

-- An explanation of position: filed by a delegation on the whole text (no clauses) or on named
-- paragraphs (clause ids). Append-only: each revision (and the withdrawal) is a row of
-- explanation_revisions, the latest one standing.
create table explanations_of_position (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references documents (id) on delete cascade,
  delegation_id uuid not null references delegations (id) on delete restrict,
  -- Per statement, in order of filing: "EoP 3".
  number int not null,
  created_at timestamptz not null default now(),
  unique (document_id, number)
);
create index explanations_of_position_document_idx on explanations_of_position (document_id);

create table explanation_revisions (
  explanation_id uuid not null references explanations_of_position (id) on delete cascade,
  revision int not null check (revision >= 1),
  -- Empty: the statement as a whole.
  clause_ids text[] not null default '{}',
  reservation boolean not null default false,
  text text not null,
  withdrawn boolean not null default false,
  -- Whether the statement was already adopted when this revision was filed.
  after_adoption boolean not null,
  filed_by uuid not null references users (id) on delete restrict,
  filed_at timestamptz not null default now(),
  primary key (explanation_id, revision)
);
