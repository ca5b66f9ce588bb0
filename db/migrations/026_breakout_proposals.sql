-- A breakout's outcome goes to the plenary as a proposal: one proposal of kind 'package' covering
-- all the breakout's clauses, listed, signalled on and decided like any other. Its clauses' texts
-- stay in breakout_package_clauses (keyed by the proposal's id); breakout_packages now only ties
-- the proposal to its breakout, and its status and decision are the proposal's.
alter table proposals drop constraint proposals_kind_check;
alter table proposals add constraint proposals_kind_check check (kind in ('replace', 'delete', 'retain', 'add', 'package'));
-- The chair opened a package for discussion: it stays submitted, before the plenary, until decided.
alter table proposals add column discussion_opened_at timestamptz;

alter table proposal_events drop constraint proposal_events_kind_check;
alter table proposal_events add constraint proposal_events_kind_check check (kind in (
  'created', 'submitted', 'revised', 'withdrawn', 'cosponsored', 'supported', 'objected', 'aligned', 'position_withdrawn',
  'accepted', 'rejected', 'merged', 'not_taken_up', 'discussion_opened'));

-- Proposals inside a breakout: participants table amendments to its clauses there, which its
-- facilitator decides on the breakout's text. They are the breakout's, seen by those who may see
-- it, never the plenary's (whose lists read breakout_id is null), and numbered on their own.
alter table proposals add column breakout_id uuid references breakouts (id) on delete cascade;
alter table proposals drop constraint proposals_document_id_number_key;
create unique index proposals_number_idx on proposals (document_id, coalesce(breakout_id, '00000000-0000-0000-0000-000000000000'), number);
create index proposals_breakout_idx on proposals (breakout_id) where breakout_id is not null;

-- Existing packages become proposals with the package's id, numbered after the statement's proposals
-- in order of submission. The part (used to place additions only) is not known here: 'op'.
insert into proposals (id, document_id, number, kind, clause_id, part, text_document_id, delegation_id, created_by, created_at, status,
                       base_text, decided_by, decided_at, decision_reason, discussion_opened_at)
select p.id, b.statement_id,
       (select coalesce(max(o.number), 0) from proposals o where o.document_id = b.statement_id and o.breakout_id is null)
         + row_number() over (partition by b.statement_id order by p.submitted_at, b.number),
       'package',
       (select c.clause_id from breakout_package_clauses c where c.package_id = p.id order by c.position limit 1),
       'op', null, null, coalesce(p.submitted_by, b.facilitator_id), p.submitted_at,
       case p.status when 'discussion' then 'submitted' else p.status end,
       (select string_agg(c.base_text, E'\n\n' order by c.position) from breakout_package_clauses c where c.package_id = p.id),
       case when p.status in ('accepted', 'rejected') then p.decided_by end,
       case when p.status in ('accepted', 'rejected') then p.decided_at end,
       case when p.status in ('accepted', 'rejected') then p.reason end,
       case when p.status = 'discussion' then p.decided_at end
from breakout_packages p join breakouts b on b.id = p.breakout_id;

insert into proposal_revisions (proposal_id, revision, content, text, base_text, submitted_by, submitted_at)
select p.id, 1, null,
       (select string_agg(c.text, E'\n\n' order by c.position) from breakout_package_clauses c where c.package_id = p.id),
       (select string_agg(c.base_text, E'\n\n' order by c.position) from breakout_package_clauses c where c.package_id = p.id),
       coalesce(p.submitted_by, b.facilitator_id), p.submitted_at
from breakout_packages p join breakouts b on b.id = p.breakout_id;

insert into proposal_events (proposal_id, kind, user_id, created_at)
select p.id, e.kind, coalesce(p.submitted_by, b.facilitator_id), p.submitted_at
from breakout_packages p join breakouts b on b.id = p.breakout_id cross join (values ('created'), ('submitted')) e (kind);
insert into proposal_events (proposal_id, kind, user_id, reason, created_at)
select p.id, case p.status when 'discussion' then 'discussion_opened' else p.status end, p.decided_by, coalesce(p.reason, ''), p.decided_at
from breakout_packages p
where p.status <> 'submitted' and p.decided_by is not null and p.decided_at is not null;

-- The checkpoint an accepted package made names it, as one an accepted proposal does.
update versions v set proposal_id = p.id
from breakout_packages p join breakouts b on b.id = p.breakout_id
where p.status = 'accepted' and v.document_id = b.statement_id and v.kind = 'checkpoint' and v.proposal_id is null
  and v.created_at >= p.decided_at and v.created_at < p.decided_at + interval '1 minute'
  and v.id = (select w.id from versions w where w.document_id = b.statement_id and w.kind = 'checkpoint' and w.proposal_id is null
                and w.created_at >= p.decided_at order by w.created_at limit 1);

alter table breakout_packages
  drop column status, drop column submitted_by, drop column submitted_at,
  drop column decided_by, drop column decided_at, drop column reason,
  alter column id drop default,
  add constraint breakout_packages_proposal_fk foreign key (id) references proposals (id) on delete cascade;
