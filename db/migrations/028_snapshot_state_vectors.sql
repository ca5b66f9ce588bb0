-- A snapshot's state vector, written with it: a room opened on a compacted document greets its
-- first clients with it instead of reading the whole state. Null for snapshots written before,
-- whose state vector is read from the state when needed, until their next compaction.
alter table document_snapshots add column state_vector bytea;
