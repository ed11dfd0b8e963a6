package io.thingport.testsupport;

import io.thingport.network.testkit.FreePorts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A throw-away MariaDB server for tests, run from the binaries of the Debian package {@code mariadb-server} (10.11 on
 * Debian 12), never the system's own server or service: {@code mariadb-install-db} into a new temporary folder, then
 * {@code mariadbd} on {@code 127.0.0.1} only, on a free port, with its socket, pid file and log in that folder, and a
 * random password for {@code root}. {@link #createDatabase(String)} hands out a new empty database with a user of its own.
 *
 * <p>Both binaries run with {@code --no-defaults}: no {@code /etc/mysql} file counts. The server gets the character set
 * and collation that Debian's configuration gives an operator's server ({@code utf8mb4}, {@code utf8mb4_general_ci}), no
 * binary log, a 32 MB buffer pool and no flush at commit: it serves the tests' SQL; no test crashes MariaDB itself.
 *
 * <p>{@code mariadbd} refuses to run as root unless told to: as root (CI) it runs with {@code --user=root}, in a folder
 * owned by root; as any other user, as that user. {@link #shared()} is the one server of the JVM, started on first use
 * (about a second) and killed and deleted by a shutdown hook; {@link #close()} does the same for a server of its own. A
 * server left running by a JVM that was killed is stopped and deleted by the next one that starts a server (each folder
 * records the JVM that owns it).
 */
public final class MariaDbServer implements AutoCloseable {
    /** The Debian package whose binaries the server runs. */
    public static final String PACKAGE = "mariadb-server";
    static final String PREFIX = "thingport-mariadb-";
    private static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    private static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");
    private static final String OWNER_FILE = "owner.pid";
    private static final String PID_FILE = "mariadbd.pid";
    private static final String LOG_FILE = "mariadb.log";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private static MariaDbServer shared;

    private final Path dir;
    private final Thread shutdownHook;
    private final String rootPassword = randomPassword();
    private final AtomicInteger databases = new AtomicInteger();
    private int port;
    private Process process;
    private boolean closed;

    private MariaDbServer(Path dir) {
        this.dir = dir;
        this.shutdownHook = new Thread(this::stopAndDelete, "thingport-mariadb-stop");
    }

    /** The JVM's server, started on first use and stopped and deleted when the JVM exits. */
    public static synchronized MariaDbServer shared() throws IOException {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /**
     * Starts a new server of its own and returns once a JDBC connection works; {@link #close()} stops and deletes it.
     *
     * @throws IllegalStateException naming the package to install when the binaries are missing, or with the server's log
     *                               when it does not start
     */
    public static MariaDbServer start() throws IOException {
        checkBinaries(MARIADBD, INSTALL_DB);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        removeOrphans(tmp);
        Path dir = Files.createTempDirectory(tmp, PREFIX);
        Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
        MariaDbServer server = new MariaDbServer(dir);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            server.installDb();
            for (int attempt = 1; ; attempt++) {
                server.port = FreePorts.one();
                try {
                    server.launch();
                    break;
                } catch (IllegalStateException e) {
                    // Another process may have taken the free port between the check and the start: try another one.
                    if (attempt == START_ATTEMPTS || !server.log().contains("Address already in use")) {
                        throw e;
                    }
                }
            }
            server.secureRoot();
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The folder holding the server: {@code data/}, its socket, pid file and {@code mariadb.log}. */
    public Path directory() {
        return dir;
    }

    public int port() {
        return port;
    }

    /** {@code root}'s password (root may log in from 127.0.0.1 only). */
    public String rootPassword() {
        return rootPassword;
    }

    /** Creates a new empty database with a name of its own ({@code thingport_<n>}) and a user of its own. */
    public MariaDbDatabase createDatabase() {
        return createDatabase("thingport_" + databases.incrementAndGet());
    }

    /**
     * Creates a new empty database and a new user of the same name with a random password that has every privilege on
     * that database and none elsewhere, as an operator sets up the platform's database.
     *
     * @param name lower case letters, digits and {@code _}, starting with a letter (at most 64)
     */
    public MariaDbDatabase createDatabase(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a database name for the MariaDB test server: " + name + " (" + NAME + ")");
        }
        String password = randomPassword();
        admin("CREATE DATABASE `" + name + "`", "CREATE USER '" + name + "'@'%' IDENTIFIED BY '" + password + "'",
                "GRANT ALL PRIVILEGES ON `" + name + "`.* TO '" + name + "'@'%'");
        return new MariaDbDatabase("127.0.0.1", port, name, name, password);
    }

    /** Stops the server at once (killed: it is thrown away) and deletes its folder; a second call does nothing. */
    @Override
    public void close() {
        stopAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (or ran) anyway
        }
    }

    private synchronized void stopAndDelete() {
        if (closed) {
            return;
        }
        closed = true;
        if (process != null) {
            kill(process.toHandle());
            process = null;
        }
        TempServers.delete(dir, "MariaDB test server");
    }

    private void admin(String... statements) {
        try (Connection c = DriverManager.getConnection(rootUrl(), "root", rootPassword); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the MariaDB test server in " + dir + " refused " + List.of(statements) + ": "
                    + e.getMessage(), e);
        }
    }

    private String rootUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/";
    }

    private void installDb() throws IOException {
        List<String> command = new ArrayList<>(List.of(INSTALL_DB.toString(), "--no-defaults", "--datadir=" + data(),
                "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"));
        if (TempServers.isRoot()) {
            command.add("--user=root");
        }
        command.addAll(serverSettings());
        File out = dir.resolve("install-db.out").toFile();
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw failure(String.join(" ", command) + " took longer than " + COMMAND_TIMEOUT.toSeconds() + " s: "
                        + Files.readString(out.toPath()));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw failure("interrupted while running " + INSTALL_DB);
        }
        if (p.exitValue() != 0) {
            throw failure(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + Files.readString(out.toPath()));
        }
    }

    /** Settings that both the server and {@code mariadb-install-db} (which runs the server to make the tables) get. */
    private static List<String> serverSettings() {
        return List.of("--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci", "--skip-log-bin",
                "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M", "--innodb-flush-log-at-trx-commit=0",
                "--skip-innodb-doublewrite");
    }

    private synchronized void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of(MARIADBD.toString(), "--no-defaults", "--datadir=" + data(),
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mariadbd.sock"),
                "--pid-file=" + dir.resolve(PID_FILE), "--log-error=" + dir.resolve(LOG_FILE), "--skip-name-resolve",
                "--max-connections=300"));
        if (TempServers.isRoot()) {
            command.add("--user=root");
        }
        command.addAll(serverSettings());
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        // Output to a file, not a pipe: nothing has to read it (the server's own log is --log-error).
        process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mariadbd.out").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        SQLException last = null;
        while (true) {
            if (!process.isAlive()) {
                int exit = process.exitValue();
                process = null;
                throw failure("mariadbd ended (exit " + exit + ") before it accepted a connection");
            }
            if (!Instant.now().isBefore(deadline)) {
                kill(process.toHandle());
                process = null;
                throw failure("no connection within " + START_TIMEOUT.toSeconds() + " s: " + last);
            }
            // a fresh server's root has no password yet (secureRoot gives it one)
            try (Connection c = DriverManager.getConnection(rootUrl() + "?connectTimeout=1000", "root", "")) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("interrupted while waiting for mariadbd");
            }
        }
    }

    /** Gives every root account the random password, and removes the ones for the host's name (never matched here). */
    private void secureRoot() {
        List<String> hosts = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(rootUrl(), "root", ""); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT host FROM mysql.user WHERE user = 'root'")) {
                while (rs.next()) {
                    hosts.add(rs.getString(1));
                }
            }
            for (String host : hosts) {
                if (List.of("localhost", "127.0.0.1", "::1").contains(host)) {
                    st.execute("ALTER USER 'root'@'" + host + "' IDENTIFIED BY '" + rootPassword + "'");
                } else {
                    st.execute("DROP USER 'root'@'" + host + "'");
                }
            }
        } catch (SQLException e) {
            throw failure("cannot give root its password: " + e.getMessage());
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private String log() {
        try {
            return Files.readString(dir.resolve(LOG_FILE));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException("MariaDB test server in " + dir + (port > 0 ? " (port " + port + ")" : "") + ": " + what
                + "\n--- " + dir.resolve(LOG_FILE) + ":\n" + log());
    }

    /**
     * Checks that the server binaries are there.
     *
     * @throws IllegalStateException naming the Debian package to install when one is missing
     */
    static void checkBinaries(Path... binaries) {
        List<Path> missing = Stream.of(binaries).filter(b -> !Files.isExecutable(b)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the MariaDB server binaries " + missing + " are missing: install the Debian package "
                    + PACKAGE + " (apt-get install " + PACKAGE + ")");
        }
    }

    private static String randomPassword() {
        return HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    }

    /** Kills the servers and deletes the folders of every JVM that is gone (they were killed: no shutdown hook ran). */
    static void removeOrphans(Path tmp) {
        TempServers.removeOrphans(tmp, PREFIX, OWNER_FILE, PID_FILE, MariaDbServer::kill, "MariaDB test server");
    }

    private static void kill(ProcessHandle p) {
        p.destroyForcibly();
        try {
            p.onExit().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("The MariaDB test server " + p.pid() + " did not end: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
