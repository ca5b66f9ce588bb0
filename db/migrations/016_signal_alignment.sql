-- A member delegation aligns with its group's signal on a clause: its effective signal is then the
-- group's latest one on that clause, followed live (server/queries/clause-signals.ts). Only a member
-- of the group may give it (server/negotiation/signals.ts); the group is of the same conference.
alter table clause_signals drop constraint clause_signals_signal_check;
alter table clause_signals drop constraint clause_signals_check;
alter table clause_signals add column aligned_group_id uuid references delegations (id) on delete restrict;
alter table clause_signals add constraint clause_signals_signal_check check (signal in ('accept', 'not_yet', 'reservation', 'align'));
alter table clause_signals add constraint clause_signals_reason_check check (signal in ('accept', 'align') or length(reason) > 0);
alter table clause_signals add constraint clause_signals_aligned_group_check check ((signal = 'align') = (aligned_group_id is not null));
