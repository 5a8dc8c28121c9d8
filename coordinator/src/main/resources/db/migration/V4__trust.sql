-- Trust: the registry takes an event only for an attempt the coordinator dispatched, and keeps every execution of an
-- attempt, so a message run twice (redelivered, or replayed into another worker) is visible.
create table dispatched_attempts (
    attempt_id    varchar(320) primary key,
    run_id        varchar(64)  not null,
    node_id       varchar(128) not null,
    attempt       integer      not null,
    released_at   timestamp with time zone not null,
    foreign key (run_id, node_id) references run_nodes (run_id, node_id)
);

insert into dispatched_attempts (attempt_id, run_id, node_id, attempt, released_at)
select dispatched_attempt_id, run_id, node_id, attempt, updated_at from run_nodes where dispatched_attempt_id is not null;

insert into dispatched_attempts (attempt_id, run_id, node_id, attempt, released_at)
select a.attempt_id, a.run_id, a.node_id, a.attempt, coalesce(a.started_at, a.finished_at, current_timestamp)
from attempts a where not exists (select 1 from dispatched_attempts d where d.attempt_id = a.attempt_id);

create table executions (
    execution_id  varchar(64)  primary key,
    attempt_id    varchar(320) not null,
    run_id        varchar(64)  not null,
    node_id       varchar(128) not null,
    worker        varchar(255) not null,
    redelivered   boolean      not null,
    started_at    timestamp with time zone,
    finished_at   timestamp with time zone,
    outcome       varchar(32),
    foreign key (run_id, node_id) references run_nodes (run_id, node_id)
);

create index executions_of_node on executions (run_id, node_id);
