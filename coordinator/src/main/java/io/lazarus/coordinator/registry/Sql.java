package io.lazarus.coordinator.registry;

import io.lazarus.common.contract.Contracts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;

/** Values as the registry's columns hold them: time in UTC, {@code timestamp with time zone}; structures as JSON. */
final class Sql {

    /** Rows a batched write sends at a time; values an {@code in} list holds at most. */
    static final int BATCH = 500;

    private Sql() {}

    /** One statement for each of {@code rows}, sent {@link #BATCH} at a time; nothing at all for none. */
    static <T> void batch(JdbcTemplate jdbc, String sql, List<T> rows, ParameterizedPreparedStatementSetter<T> row) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, rows, BATCH, row);
        }
    }

    /** {@code values} in parts of at most {@link #BATCH}, none if it is empty: an empty {@code in ()} is no SQL. */
    static <T> void inParts(List<T> values, Consumer<List<T>> part) {
        for (int from = 0; from < values.size(); from += BATCH) {
            part.accept(values.subList(from, Math.min(values.size(), from + BATCH)));
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static String json(Object value) {
        return Contracts.mapper().writeValueAsString(value);
    }
}
