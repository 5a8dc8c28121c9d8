-- Resurrection: a node's current attempt and how often it came back; every dead letter with the broker's reason
-- and what the gatekeeper did with it.
alter table run_nodes add column attempt integer not null default 1;
alter table run_nodes add column resurrections integer not null default 0;
alter table run_nodes add column dead_letter_reason varchar(32);
-- a finished run that a resurrection gave new attempts, waiting for a follower to take it up
alter table runs add column reopened boolean not null default false;

create table dead_letters (
    attempt_id       varchar(320) primary key,
    run_id           varchar(64)  not null,
    node_id          varchar(128) not null,
    attempt          integer      not null,
    reason           varchar(32),
    queue            varchar(255),
    dead_lettered_at timestamp with time zone,
    resurrections    integer      not null,
    verdict          varchar(16),
    verdict_detail   varchar(1000),
    decided_at       timestamp with time zone,
    foreign key (run_id, node_id) references run_nodes (run_id, node_id)
);

create index dead_letters_of_node on dead_letters (run_id, node_id);
