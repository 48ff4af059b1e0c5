package dev.outboxrelay.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.FileSystemUtils;

import static org.awaitility.Awaitility.await;

/**
 * One real MariaDB server per test JVM; each test class gets a database of its own. The server is Debian's
 * {@code mariadbd} (MariaDB 10.11, package mariadb-server-core, installed by the build when missing:
 * src/test/mariadb/install.sh), started here with a fresh data directory under {@code target/mariadb} on a free port
 * of 127.0.0.1, as root ({@code --user=root}: MariaDB refuses root otherwise), and stopped when the JVM exits.
 */
public final class TestMariaDb {

    public static final String USER = "outbox";
    public static final String PASSWORD = "outbox";
    private static final Duration START_BOUND = Duration.ofSeconds(60);
    /** Where Debian's package keeps the SQL of the system tables. */
    private static final Path SHARE = Path.of("/usr/share/mysql");
    private static int port;

    private TestMariaDb() {
    }

    /** Creates a fresh database and answers its JDBC URL (user {@link #USER}, password {@link #PASSWORD}). */
    public static synchronized String newDatabase(String name) {
        try {
            if (port == 0) {
                start();
            }
            try (Connection c = DriverManager.getConnection(url("mysql"), USER, PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name);
                s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            }
            return url(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The database at {@code url} with the application's schema, created before any relay runs. */
    public static DataSource migrated(String url) {
        DataSource dataSource = new DriverManagerDataSource(url, USER, PASSWORD);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/mysql").load().migrate();
        return dataSource;
    }

    private static String url(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    private static void start() throws IOException {
        Path dir = Path.of("target", "mariadb").toAbsolutePath();
        FileSystemUtils.deleteRecursively(dir);
        Path data = Files.createDirectories(dir.resolve("data"));
        bootstrap(dir, data);
        // run by the server at start, with its grant tables loaded (bootstrap mode has none to create a user in)
        Path init = Files.writeString(dir.resolve("init.sql"), "CREATE USER IF NOT EXISTS '" + USER + "'@'%'"
                + " IDENTIFIED BY '" + PASSWORD + "';\nGRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'%';\n");
        int chosen = FreePorts.next();
        Process server = new ProcessBuilder(server(), "--no-defaults", "--user=root", "--datadir=" + data,
                "--port=" + chosen, "--bind-address=127.0.0.1", "--skip-name-resolve",
                "--socket=" + dir.resolve("mariadbd.sock"), "--pid-file=" + dir.resolve("mariadbd.pid"),
                "--init-file=" + init, "--character-set-server=utf8mb4", "--collation-server=utf8mb4_bin",
                "--max-connections=500", "--innodb-buffer-pool-size=256M", "--innodb-use-native-aio=0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("mariadbd.log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server)));
        port = chosen;
        try {
            await().atMost(START_BOUND).pollInterval(Duration.ofMillis(200)).until(() -> accepts(server, dir));
        } catch (RuntimeException e) {
            port = 0;
            stop(server);
            throw e;
        }
    }

    private static boolean accepts(Process server, Path dir) {
        if (!server.isAlive()) {
            throw new IllegalStateException("MariaDB did not start: see " + dir.resolve("mariadbd.log"));
        }
        try (Connection c = DriverManager.getConnection(url("mysql"), USER, PASSWORD)) {
            return true;
        } catch (SQLException notYet) {
            return false;
        }
    }

    /**
     * The system tables, as mariadb-install-db makes them (which needs my_print_defaults from another package): the
     * server's own SQL files run by {@code mariadbd --bootstrap}.
     */
    private static void bootstrap(Path dir, Path data) throws IOException {
        StringBuilder sql = new StringBuilder("CREATE DATABASE IF NOT EXISTS mysql;\nUSE mysql;\n"
                + "SET @auth_root_socket='root';\n");
        for (String file : List.of("mysql_system_tables.sql", "mysql_performance_tables.sql",
                "mysql_system_tables_data.sql")) {
            sql.append(Files.readString(SHARE.resolve(file))).append('\n');
        }
        Path script = Files.writeString(dir.resolve("bootstrap.sql"), sql);
        Path log = dir.resolve("bootstrap.log");
        try {
            Process process = new ProcessBuilder(server(), "--no-defaults", "--bootstrap", "--user=root",
                    "--datadir=" + data, "--log-warnings=0", "--enforce-storage-engine=", "--max-allowed-packet=8M",
                    "--innodb-use-native-aio=0").redirectInput(script.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(START_BOUND.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("mariadbd --bootstrap failed: see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void stop(Process server) {
        server.destroy();
        try {
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (InterruptedException e) {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String server() {
        return Files.isExecutable(Path.of("/usr/sbin/mariadbd")) ? "/usr/sbin/mariadbd" : "mariadbd";
    }
}
