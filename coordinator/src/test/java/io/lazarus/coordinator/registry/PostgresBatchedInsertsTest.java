package io.lazarus.coordinator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.lazarus.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** A PostgreSQL registry's batches of inserts go as multi-row statements, unless its settings say otherwise. */
class PostgresBatchedInsertsTest {

    private final PostgresBatchedInserts processor = new PostgresBatchedInserts();

    @Test
    void aPostgresRegistryRewritesItsBatchesOfInserts() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema();
                HikariDataSource dataSource = processed(schema.url())) {
            assertThat(dataSource.getDataSourceProperties()).containsEntry(PostgresBatchedInserts.SETTING, "true");
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("create table batched (id int primary key)");
                try (PreparedStatement insert =
                        connection.prepareStatement("insert into batched (id) values (?) on conflict do nothing")) {
                    for (int id = 0; id < 10; id++) {
                        insert.setInt(1, id % 8);
                        insert.addBatch();
                    }
                    // the driver's own word that it rewrote the batch (in statements of 8 rows, then 2 alone): no count
                    // per row, where one statement a row counts 1, 1, ..., 0, 0
                    assertThat(insert.executeBatch())
                            .startsWith(Statement.SUCCESS_NO_INFO, Statement.SUCCESS_NO_INFO)
                            .hasSize(10);
                }
                try (ResultSet rows = statement.executeQuery("select count(*) from batched")) {
                    rows.next();
                    assertThat(rows.getInt(1)).isEqualTo(8);
                }
            }
        }
    }

    @Test
    void aSettingGivenIsKeptAndH2IsLeftAlone() {
        try (HikariDataSource off = processed("jdbc:postgresql://127.0.0.1:5432/test?reWriteBatchedInserts=false");
                HikariDataSource h2 = processed("jdbc:h2:mem:registry")) {
            assertThat(off.getDataSourceProperties()).doesNotContainKey(PostgresBatchedInserts.SETTING);
            assertThat(h2.getDataSourceProperties()).isEmpty();
        }
        HikariDataSource given = new HikariDataSource();
        given.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/test");
        given.addDataSourceProperty(PostgresBatchedInserts.SETTING, "false");
        processor.postProcessAfterInitialization(given, "dataSource");
        assertThat(given.getDataSourceProperties()).containsEntry(PostgresBatchedInserts.SETTING, "false");
        given.close();
    }

    private HikariDataSource processed(String url) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        return (HikariDataSource) processor.postProcessAfterInitialization(dataSource, "dataSource");
    }
}
