-- A node's state changes twice or more per attempt, and every change moved its entry in this index too. The queries by
-- state all name the run (the primary key's prefix), so they read that run's rows either way.
drop index nodes_by_state;

-- The release of a node is recorded before its message is published; the broker's confirm of it was written a second
-- time, per node, for nothing but a count in `lazarus status`, which now counts the nodes released.
alter table run_nodes drop column dispatched_at;
