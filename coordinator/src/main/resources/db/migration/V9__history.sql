-- Learning from history. Each run's commands by script name and digest, so that a command keeps its history across
-- runs and edits of the script's other commands; and the longest silence of each successful run of each command.
create table run_commands (
    run_id         varchar(64)  not null references runs (run_id),
    command_index  integer      not null,
    script_name    varchar(255) not null,
    command_sha256 varchar(64)  not null,
    primary key (run_id, command_index)
);

create index run_commands_by_command on run_commands (script_name, command_sha256);

create table command_silences (
    attempt_id         varchar(320) not null,
    command_index      integer      not null,
    run_id             varchar(64)  not null,
    longest_silence_ms bigint       not null,
    recorded_at        timestamp with time zone not null,
    primary key (attempt_id, command_index)
);

create index command_silences_of_command on command_silences (run_id, command_index, recorded_at);

-- A node's recent transient failures, across runs, order a run's release
create index attempts_by_finish on attempts (finished_at);
create index dead_letters_by_time on dead_letters (dead_lettered_at);
