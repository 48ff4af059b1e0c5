package dev.outboxrelay.outbox;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.api.Location;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What MySQL 8 and MariaDB 10.6+ need beyond {@code spring.flyway.locations} and the driver (README, "Databases"):
 * <ul>
 * <li>one migration folder for both, {@code db/migration/mysql}, in place of {@code db/migration/{vendor}} (which
 * Spring Boot names {@code mysql} or {@code mariadb}) and of {@code db/migration/common}, whose SQL (the UUID type,
 * TIMESTAMP WITH TIME ZONE) neither reads. Its files copy the versions of the other folders; a new migration of
 * {@code common} needs its MySQL copy there too;</li>
 * <li>READ COMMITTED, the isolation PostgreSQL runs in and the statements are written for: under InnoDB's default
 * REPEATABLE READ a locking scan keeps every row it examined locked until commit, so two instances renewing their
 * registrations at once deadlock.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class MySqlConfiguration {

    static final String MIGRATIONS = "db/migration/mysql";
    private static final List<String> REPLACED = List.of("db/migration/mysql", "db/migration/mariadb",
            "db/migration/common");

    @Bean
    FlywayConfigurationCustomizer mySqlMigrations() {
        return configuration -> {
            if (!isMySql(configuration.getDataSource())) {
                return;
            }
            List<String> locations = new ArrayList<>();
            for (Location location : configuration.getLocations()) {
                String kept = location.isClassPath() && REPLACED.contains(location.getPath())
                        ? "classpath:" + MIGRATIONS : location.getDescriptor();
                if (!locations.contains(kept)) {
                    locations.add(kept);
                }
            }
            configuration.locations(locations.toArray(String[]::new));
        };
    }

    @Bean
    static BeanPostProcessor mySqlReadCommitted() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource pool && pool.getTransactionIsolation() == null
                        && isMySqlUrl(pool.getJdbcUrl())) {
                    pool.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
                }
                return bean;
            }
        };
    }

    private static boolean isMySqlUrl(String url) {
        return url != null && (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:"));
    }

    private static boolean isMySql(DataSource dataSource) {
        return SqlDialect.of(new JdbcTemplate(dataSource)) == SqlDialect.MYSQL;
    }
}
