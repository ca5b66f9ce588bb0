-- Adoption closes the business still open: proposals neither submitted to a decision nor withdrawn
-- when the text is adopted end as 'not_taken_up', with an event of that kind in their history.
alter table proposals drop constraint proposals_status_check;
alter table proposals add constraint proposals_status_check
  check (status in ('draft', 'submitted', 'accepted', 'rejected', 'merged', 'withdrawn', 'not_taken_up'));
alter table proposal_events drop constraint proposal_events_kind_check;
alter table proposal_events add constraint proposal_events_kind_check check (kind in (
  'created', 'submitted', 'revised', 'withdrawn', 'cosponsored', 'supported', 'objected', 'position_withdrawn',
  'accepted', 'rejected', 'merged', 'not_taken_up'));
