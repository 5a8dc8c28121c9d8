package io.lazarus.coordinator.registry;

import static io.lazarus.coordinator.registry.Sql.instant;
import static io.lazarus.coordinator.registry.Sql.utc;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The lease columns of {@code runs}. Every change is one conditional update of the run's row, so two replicas never
 * both win it; the row lock that update takes also orders a fenced write against a takeover: whichever commits first,
 * the other sees its result.
 */
final class RunLeasesTable {

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    RunLeasesTable(JdbcClient jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /** Takes the lease of an unfinished run nobody holds, or whose holder let it expire; empty if another holds it. */
    Optional<Lease> acquire(String runId, String owner, Instant now, Instant until) {
        return transaction.execute(status -> {
            int won = jdbc.sql("""
                    update runs set lease_owner = ?, lease_epoch = lease_epoch + 1, lease_expires_at = ?
                    where run_id = ? and finished_at is null
                      and (lease_owner is null or lease_expires_at is null or lease_expires_at < ?)""").params(owner, utc(until), runId, utc(now)).update();
            if (won == 0) {
                return Optional.<Lease>empty();
            }
            // the row stays locked until this transaction ends: the epoch read is the one just written
            long epoch = jdbc.sql("select lease_epoch from runs where run_id = ?")
                    .param(runId)
                    .query(Long.class)
                    .single();
            return Optional.of(new Lease(runId, owner, epoch));
        });
    }

    /** Sets the lease of a run just created, before anyone else can see it; the run's first epoch is 1. */
    Lease own(String runId, String owner, Instant until) {
        jdbc.sql("update runs set lease_owner = ?, lease_epoch = 1, lease_expires_at = ? where run_id = ?")
                .params(owner, utc(until), runId)
                .update();
        return new Lease(runId, owner, 1);
    }

    /** Extends the lease while it is still this holder's; false once another replica has taken it. */
    boolean renew(Lease lease, Instant until) {
        return jdbc.sql("""
                        update runs set lease_expires_at = ?
                        where run_id = ? and lease_owner = ? and lease_epoch = ?""")
                        .params(utc(until), lease.runId(), lease.owner(), lease.epoch())
                        .update()
                > 0;
    }

    /** Lets go of the lease (the run ended, or its follower stopped): another replica may take it at once. */
    void release(Lease lease) {
        jdbc.sql("""
                update runs set lease_owner = null, lease_expires_at = null
                where run_id = ? and lease_owner = ? and lease_epoch = ?""").params(lease.runId(), lease.owner(), lease.epoch()).update();
    }

    /**
     * Throws {@link LeaseLost} unless the lease is still the run's. Called first in the transaction of a fenced write:
     * the row lock it takes keeps a takeover out until that write commits.
     */
    void fence(Lease lease) {
        int held = jdbc.sql("""
                update runs set lease_epoch = lease_epoch
                where run_id = ? and lease_owner = ? and lease_epoch = ?""")
                .params(lease.runId(), lease.owner(), lease.epoch())
                .update();
        if (held == 0) {
            throw new LeaseLost(lease);
        }
    }

    /** Who holds the run's lease and until when; empty when nobody does. */
    Optional<LeaseHolder> holder(String runId) {
        return jdbc.sql("""
                select lease_owner, lease_epoch, lease_expires_at from runs
                where run_id = ? and lease_owner is not null""")
                .param(runId)
                .query((rs, row) -> new LeaseHolder(
                        rs.getString("lease_owner"), rs.getLong("lease_epoch"), instant(rs, "lease_expires_at")))
                .optional();
    }
}
