-- The execution whose FINISHED closed the attempt. That execution's own end is read from the attempt's row, so the
-- usual execution is written once, when it starts, instead of opened and then closed; an execution that ends after
-- another one closed its attempt still has its end written in its own row.
alter table attempts add column finished_by varchar(64);
