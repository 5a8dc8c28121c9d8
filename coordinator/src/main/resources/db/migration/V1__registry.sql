-- The registry: every run with its inputs, every node it dispatched (the manifest), every attempt event.
-- Portable between H2 (the default, MODE=PostgreSQL) and PostgreSQL.

create table runs (
    run_id        varchar(64)  primary key,
    created_at    timestamp with time zone not null,
    deadline      timestamp with time zone not null,
    state         varchar(16)  not null,
    script_name   varchar(255) not null,
    script_sha256 varchar(64)  not null,
    script        text         not null,
    inventory     text         not null,
    options       text         not null,
    total         integer      not null,
    finished_at   timestamp with time zone
);

create table run_nodes (
    run_id        varchar(64)  not null references runs (run_id),
    node_id       varchar(128) not null,
    host          varchar(255) not null,
    port          integer      not null,
    username      varchar(64)  not null,
    facts         text         not null,
    state         varchar(16)  not null,
    dispatched_attempt_id varchar(320),
    dispatched_at timestamp with time zone,
    last_outcome  varchar(32),
    finished_attempts integer  not null,
    updated_at    timestamp with time zone not null,
    primary key (run_id, node_id)
);

create table attempts (
    attempt_id    varchar(320) primary key,
    run_id        varchar(64)  not null,
    node_id       varchar(128) not null,
    attempt       integer      not null,
    worker        varchar(255),
    redelivered   boolean      not null,
    started_at    timestamp with time zone,
    finished_at   timestamp with time zone,
    outcome       varchar(32),
    result        text,
    foreign key (run_id, node_id) references run_nodes (run_id, node_id)
);

create index attempts_of_node on attempts (run_id, node_id);
create index nodes_by_state on run_nodes (run_id, state);
