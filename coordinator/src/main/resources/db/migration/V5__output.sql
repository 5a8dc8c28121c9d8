-- Full output per node: every chunk of what an attempt's script printed, as its worker sent it (masked). A chunk is
-- recorded once per execution of the attempt and sequence number, however often it is delivered.
create table attempt_output (
    attempt_id    varchar(320) not null,
    execution_id  varchar(64)  not null,
    seq           bigint       not null,
    stream        varchar(6)   not null,
    byte_offset   bigint       not null,
    bytes         integer      not null,
    content       text         not null,
    recorded_at   timestamp with time zone not null,
    primary key (attempt_id, execution_id, seq)
);
