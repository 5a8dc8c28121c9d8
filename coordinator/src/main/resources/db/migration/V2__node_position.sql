-- Nodes keep their inventory order: a canary is the first N of them, and a resumed run releases the rest in order.
alter table run_nodes add column position integer not null default 0;
