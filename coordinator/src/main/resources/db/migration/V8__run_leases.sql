-- Who follows a run: the replica holding its lease until lease_expires_at. lease_epoch grows by one at every
-- acquisition; a follower's writes name the epoch they were won under, so a former owner's are refused (fencing).
alter table runs add column lease_owner varchar(128);
alter table runs add column lease_epoch bigint not null default 0;
alter table runs add column lease_expires_at timestamp with time zone;
