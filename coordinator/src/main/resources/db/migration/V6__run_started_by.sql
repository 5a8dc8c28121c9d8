-- Who started a run: the name of the service token that created it (never its value); null for the command line.
alter table runs add column started_by varchar(64);
