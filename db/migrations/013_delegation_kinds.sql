-- Kinds of delegation as UN practice knows them, which decide who negotiates
-- (server/auth/delegation-rights.ts). The old kinds map onto the new ones: 'state' was a Member
-- State, 'organization' an intergovernmental organisation; 'un_entity' and 'group' keep their names.
alter table delegations drop constraint delegations_kind_check;
update delegations set kind = case kind when 'state' then 'member_state' when 'organization' then 'igo' else kind end;
alter table delegations alter column kind set default 'member_state';
alter table delegations add constraint delegations_kind_check
  check (kind in ('member_state', 'regional_organization', 'observer_state', 'un_entity', 'igo', 'ngo', 'group'));
-- Lets a membership name its conference, so both ends of it are in the same one.
alter table delegations add constraint delegations_id_conference_key unique (id, conference_id);

-- Whether delegations that do not negotiate (observer States, UN entities, IGOs, NGOs) may make
-- proposals in this conference; by default they comment only.
alter table conferences add column non_negotiating_may_propose boolean not null default false;

-- A group's member delegations (e.g. the members of "G-77 and China"), in the group's conference.
create table delegation_group_members (
  conference_id uuid not null,
  group_id uuid not null,
  member_id uuid not null,
  primary key (group_id, member_id),
  foreign key (group_id, conference_id) references delegations (id, conference_id) on delete cascade,
  foreign key (member_id, conference_id) references delegations (id, conference_id) on delete cascade,
  check (group_id <> member_id)
);
create index delegation_group_members_member_idx on delegation_group_members (member_id);

-- A group is of kind 'group' and a member is not: checked on both tables, so neither a new member
-- nor a later change of kind can break it.
create function check_delegation_group_member() returns trigger language plpgsql as $$
begin
  if (select kind from delegations where id = new.group_id) <> 'group' then
    raise exception 'only a group has member delegations' using errcode = 'check_violation';
  end if;
  if (select kind from delegations where id = new.member_id) = 'group' then
    raise exception 'a group cannot be a member of a group' using errcode = 'check_violation';
  end if;
  return new;
end $$;
create trigger delegation_group_members_kinds before insert or update on delegation_group_members
  for each row execute function check_delegation_group_member();

create function check_delegation_kind_change() returns trigger language plpgsql as $$
begin
  if new.kind <> 'group' and exists (select 1 from delegation_group_members where group_id = new.id) then
    raise exception 'a group with members must stay a group' using errcode = 'check_violation';
  end if;
  if new.kind = 'group' and exists (select 1 from delegation_group_members where member_id = new.id) then
    raise exception 'a member of a group cannot become a group' using errcode = 'check_violation';
  end if;
  return new;
end $$;
create trigger delegations_kind_change before update of kind on delegations
  for each row execute function check_delegation_kind_change();

-- A member delegation aligns with its group's proposal: a position of its own, with its event.
alter table proposal_positions drop constraint proposal_positions_position_check;
alter table proposal_positions add constraint proposal_positions_position_check
  check (position in ('cosponsor', 'support', 'object', 'align'));
alter table proposal_events drop constraint proposal_events_kind_check;
alter table proposal_events add constraint proposal_events_kind_check check (kind in (
  'created', 'submitted', 'revised', 'withdrawn', 'cosponsored', 'supported', 'objected', 'aligned', 'position_withdrawn',
  'accepted', 'rejected', 'merged', 'not_taken_up'));
