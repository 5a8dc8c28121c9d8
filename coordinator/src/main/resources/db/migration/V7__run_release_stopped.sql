-- Why a run's release stopped early (its canary failed, its failure budget was spent, it was cancelled): null while
-- it has not, or once every node was released. The nodes it held back are its CANCELLED ones never dispatched.
alter table runs add column release_stopped text;
