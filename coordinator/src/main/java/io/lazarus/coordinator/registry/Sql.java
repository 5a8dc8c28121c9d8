package io.lazarus.coordinator.registry;

import io.lazarus.common.contract.Contracts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Values as the registry's columns hold them: time in UTC, {@code timestamp with time zone}; structures as JSON. */
final class Sql {

    private Sql() {}

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
