-- What observers (and the press) see of a conference's statements, set by the secretariat:
-- 'standard' the base text and its versions; 'open' everything delegations see, read-only;
-- 'closed' (informal consultations) nothing. Delegations, the chair and the secretariat see everything.
alter table conferences add column confidentiality text not null default 'standard'
  check (confidentiality in ('standard', 'open', 'closed'));
