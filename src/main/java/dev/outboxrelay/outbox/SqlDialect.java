package dev.outboxrelay.outbox;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Collections;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SQL that differs between the databases the relay runs on. Statements are written once, as PostgreSQL and H2
 * both read them. On H2 {@link #sql} says one filter another way: H2 makes the set of {@code NOT IN (SELECT * FROM
 * UNNEST(?))} anew for each row it tests, which with 1,000 aggregates in flight made a claim take seconds (the
 * embedded default relayed about 100 events/s), where {@code <> ALL(?)} compares against the array. On MySQL 8 and
 * MariaDB 10.6+ it says them the MySQL way, which differs in these parts:
 * <ul>
 * <li>{@code CURRENT_TIMESTAMP} has whole seconds there: {@code CURRENT_TIMESTAMP(6)}, as the columns have
 * microseconds (a row written at .700 would not be due until the next second);</li>
 * <li>"now plus ? seconds" ({@link DbClock}) is {@code TIMESTAMPADD} in microseconds;</li>
 * <li>{@code FETCH FIRST n ROWS ONLY} is {@code LIMIT n} (MySQL 8 has no FETCH);</li>
 * <li>{@code a || '/' || b} is {@code CONCAT(a, '/', b)} ({@code ||} means OR there);</li>
 * <li>no arrays: {@code = ANY(?)} and {@code IN (SELECT * FROM UNNEST(?))} become {@code IN (?, ?, ...)}, one
 * placeholder per element ({@link #bindList} binds them).</li>
 * </ul>
 */
public enum SqlDialect {

    /** PostgreSQL: the statements as written. */
    STANDARD,
    /** H2: as written, but for the in-flight filter. */
    H2,
    /** MySQL 8 and MariaDB 10.6+ (both report themselves to the MariaDB driver by these product names). */
    MYSQL;

    private static final Pattern ARRAY_PARAMETER =
            Pattern.compile("= ANY\\(\\?\\)|IN \\(SELECT \\* FROM UNNEST\\(\\?\\)\\)");
    private static final String PLUS_MICROS = "TIMESTAMPADD(MICROSECOND, ROUND(? * 1000000), CURRENT_TIMESTAMP(6))";
    private static final String MINUS_MICROS = "TIMESTAMPADD(MICROSECOND, -ROUND(? * 1000000), CURRENT_TIMESTAMP(6))";
    private static final Pattern FETCH_FIRST = Pattern.compile("FETCH FIRST (\\S+) ROWS ONLY");
    private static final Pattern CONCAT_SLASH = Pattern.compile("(\\S+) \\|\\| '/' \\|\\| (\\S+)");
    private static final Pattern NOW = Pattern.compile("CURRENT_TIMESTAMP(?!\\()");

    public static SqlDialect of(JdbcTemplate jdbc) {
        String product = jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
        if ("MySQL".equalsIgnoreCase(product) || "MariaDB".equalsIgnoreCase(product)) {
            return MYSQL;
        }
        return "H2".equalsIgnoreCase(product) ? H2 : STANDARD;
    }

    /** {@code standard} for this database; {@code listSizes} gives the element count of each array parameter. */
    String sql(String standard, int... listSizes) {
        if (this == STANDARD) {
            return standard;
        }
        if (this == H2) {
            return standard.replace("NOT IN (SELECT * FROM UNNEST(?))", "<> ALL(?)");
        }
        String sql = standard.replace(DbClock.NOW_PLUS_SECONDS, PLUS_MICROS)
                .replace(DbClock.NOW_MINUS_SECONDS, MINUS_MICROS);
        sql = NOW.matcher(sql).replaceAll("CURRENT_TIMESTAMP(6)");
        sql = FETCH_FIRST.matcher(sql).replaceAll("LIMIT $1");
        sql = CONCAT_SLASH.matcher(sql).replaceAll("CONCAT($1, '/', $2)");
        Matcher arrays = ARRAY_PARAMETER.matcher(sql);
        StringBuilder out = new StringBuilder();
        int list = 0;
        while (arrays.find()) {
            if (list == listSizes.length) {
                throw new IllegalArgumentException("no list size given for array parameter " + (list + 1));
            }
            String placeholders = String.join(", ", Collections.nCopies(listSizes[list++], "?"));
            arrays.appendReplacement(out, "IN (" + placeholders + ")");
        }
        arrays.appendTail(out);
        return out.toString();
    }

    /** A statement without a table to select from, {@code SELECT ... WHERE}: MySQL wants {@code FROM DUAL}. */
    public String noTable() {
        return this == MYSQL ? " FROM DUAL" : "";
    }

    /**
     * Binds {@code values} at parameter {@code index}: one SQL array of {@code arrayType}, or (MySQL) one parameter
     * per element. Answers the index of the next parameter.
     */
    int bindList(PreparedStatement ps, int index, String arrayType, Collection<?> values) throws SQLException {
        if (this != MYSQL) {
            ps.setArray(index, ps.getConnection().createArrayOf(arrayType, values.toArray()));
            return index + 1;
        }
        int next = index;
        for (Object value : values) {
            ps.setObject(next++, value);
        }
        return next;
    }
}
