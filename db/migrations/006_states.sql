-- The chair's note when opening a silence procedure (e.g. what remains to be settled).
alter table silence_procedures add column note text not null default '';
