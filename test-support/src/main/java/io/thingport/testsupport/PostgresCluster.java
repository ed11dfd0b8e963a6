package io.thingport.testsupport;

import io.thingport.network.testkit.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throw-away PostgreSQL cluster for tests, made with the server binaries of the Debian package {@code postgresql-15}
 * (never the system's own cluster or service): {@code initdb} into a new temporary folder, a random password for the
 * superuser {@value #USER} (scram-sha-256 for every connection), listening on {@code 127.0.0.1} only, on a free port,
 * with its Unix socket inside that folder. {@link #createDatabase()} hands out a new empty database per caller.
 *
 * <p>{@link #shared()} is the one cluster of the JVM, started on first use (a few seconds) and stopped ({@code pg_ctl stop
 * -m immediate}) and deleted by a shutdown hook. A cluster left running by a JVM that was killed is stopped and deleted
 * by the next one that starts a cluster (each folder records the JVM that owns it).
 *
 * <p>{@code initdb} refuses to run as root: as root (CI) the binaries run as the user {@code postgres} that the Debian
 * package creates ({@code runuser -u postgres --}), in a folder owned by it. The cluster runs with {@code fsync=off}:
 * it serves the tests' SQL; no test crashes PostgreSQL itself.
 */
public final class PostgresCluster implements AutoCloseable {
    /** The superuser the tests log in as. */
    public static final String USER = "thingport";
    /** The Debian package whose binaries the cluster runs. */
    public static final String PACKAGE = "postgresql-15";
    static final String PREFIX = "thingport-pg-";
    private static final String OWNER_FILE = "owner.pid";
    private static final Path DEBIAN_BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;

    private static PostgresCluster shared;

    private final Path dir;
    private final Path bin;
    private final boolean asPostgres;
    private final int port;
    private final String password;
    private final AtomicInteger databases = new AtomicInteger();
    private boolean stopped;

    private PostgresCluster(Path dir, Path bin, boolean asPostgres, int port, String password) {
        this.dir = dir;
        this.bin = bin;
        this.asPostgres = asPostgres;
        this.port = port;
        this.password = password;
    }

    /** The JVM's cluster, started on first use and stopped and deleted when the JVM exits. */
    public static synchronized PostgresCluster shared() {
        if (shared == null) {
            PostgresCluster cluster = start();
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "thingport-postgres-stop"));
            shared = cluster;
        }
        return shared;
    }

    /** Starts a new cluster of its own; {@link #close()} stops and deletes it. */
    public static PostgresCluster start() {
        Path bin = binDir(candidateBinDirs());
        boolean asPostgres = TempServers.isRoot();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        removeOrphans(tmp, bin, asPostgres);
        Path dir;
        try {
            dir = Files.createTempDirectory(tmp, PREFIX);
            Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for a PostgreSQL test cluster in " + tmp, e);
        }
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        PostgresCluster cluster = new PostgresCluster(dir, bin, asPostgres, 0, password);
        cluster.initdb();
        for (int attempt = 1; ; attempt++) {
            int port = FreePorts.one();
            PostgresCluster started = new PostgresCluster(dir, bin, asPostgres, port, password);
            try {
                started.configureAndStart();
                return started;
            } catch (IllegalStateException e) {
                // Another process may have taken the free port between the check and the start: try another one.
                if (attempt == START_ATTEMPTS || !started.log().contains("could not bind")) {
                    throw e;
                }
            }
        }
    }

    /** The folder holding the cluster: {@code data/}, the Unix socket and {@code postgresql.log}. */
    public Path directory() {
        return dir;
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    /** Creates a new empty database (its own name, owned by {@value #USER}). */
    public PostgresDatabase createDatabase() {
        String name = "thingport_" + databases.incrementAndGet();
        admin("CREATE DATABASE " + name);
        return database(name, USER, password);
    }

    /**
     * Creates a new user (not a superuser) with a random password and a new empty database it owns, as an operator sets
     * up the platform's database ({@code CREATE USER ... PASSWORD ...}, {@code createdb --owner=...}).
     */
    public PostgresDatabase createDatabaseWithOwner() {
        String name = "thingport_" + databases.incrementAndGet();
        String ownerPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        admin("CREATE USER " + name + " PASSWORD '" + ownerPassword + "'");
        admin("CREATE DATABASE " + name + " OWNER " + name);
        return database(name, name, ownerPassword);
    }

    private void admin(String sql) {
        try (Connection c = DriverManager.getConnection(database("postgres", USER, password).url(), USER, password);
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("the PostgreSQL test cluster in " + dir + " refused " + sql + ": " + e.getMessage(), e);
        }
    }

    private PostgresDatabase database(String name, String user, String userPassword) {
        return new PostgresDatabase("127.0.0.1", port, name, user, userPassword);
    }

    /** Stops the cluster at once (no checkpoint: it is thrown away) and deletes its folder; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        stopCluster(dir, bin, asPostgres);
        TempServers.delete(dir, "PostgreSQL test cluster");
    }

    private void initdb() {
        Path pwfile = dir.resolve("pwfile");
        try {
            Files.writeString(pwfile, password + "\n");
            if (asPostgres) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
                Files.setOwner(pwfile, postgres);
            }
        } catch (IOException e) {
            throw failure("cannot prepare " + dir + " for initdb" + (asPostgres ? " as the user postgres" : "") + ": " + e, "");
        }
        // C locale: text sorts by code point, as on H2. --no-sync: a throw-away cluster needs no fsync.
        run("initdb", "-D", data().toString(), "-U", USER, "--pwfile=" + pwfile, "--auth=scram-sha-256", "--encoding=UTF8",
                "--locale=C", "--no-sync");
        try {
            Files.delete(pwfile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void configureAndStart() {
        String settings = String.join("\n", "", "# the Thingport test cluster",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + dir + "'",
                "fsync = off",
                "full_page_writes = off",
                "max_connections = 300",
                "");
        try {
            // appended: the last setting of a name wins (a retry on another port appends again)
            Files.writeString(data().resolve("postgresql.conf"), settings, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw failure("cannot configure the cluster: " + e, "");
        }
        run("pg_ctl", "-D", data().toString(), "-l", dir.resolve("postgresql.log").toString(), "-w", "-t", "60", "start");
    }

    private Path data() {
        return dir.resolve("data");
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("postgresql.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private IllegalStateException failure(String what, String output) {
        return new IllegalStateException("PostgreSQL test cluster in " + dir + (port > 0 ? " (port " + port + ")" : "") + ": " + what
                + (output.isBlank() ? "" : "\n" + output.strip()) + "\n--- " + dir.resolve("postgresql.log") + ":\n" + log());
    }

    /** Runs one of the server binaries in the cluster's folder, as the user postgres when this JVM runs as root. */
    private void run(String binary, String... args) {
        List<String> command = command(bin, asPostgres, binary, args);
        try {
            String output = execute(command, dir);
            if (output != null) {
                throw failure(String.join(" ", command) + " failed", output);
            }
        } catch (IOException e) {
            throw failure(String.join(" ", command) + " could not run: " + e.getMessage(), "");
        }
    }

    private static List<String> command(Path bin, boolean asPostgres, String binary, String... args) {
        List<String> command = new ArrayList<>();
        if (asPostgres) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(binary).toString());
        command.addAll(List.of(args));
        return command;
    }

    /** Runs a command to its end; returns null when it succeeded, else its output. */
    private static String execute(List<String> command, Path workDir) throws IOException {
        // Output to a file, not a pipe: the server that pg_ctl starts must not hold a pipe of this JVM open.
        File out = File.createTempFile(PREFIX, ".out");
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "(no end within " + COMMAND_TIMEOUT.toSeconds() + " s) " + Files.readString(out.toPath());
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + Files.readString(out.toPath());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            Files.deleteIfExists(out.toPath());
        }
    }

    /**
     * The first folder of {@code candidates} that holds the server binaries {@code initdb} and {@code pg_ctl}.
     *
     * @throws IllegalStateException naming the package to install when none does
     */
    static Path binDir(List<Path> candidates) {
        for (Path c : candidates) {
            if (Files.isExecutable(c.resolve("initdb")) && Files.isExecutable(c.resolve("pg_ctl"))) {
                return c;
            }
        }
        throw new IllegalStateException("the PostgreSQL server binaries (initdb, pg_ctl) are not in " + candidates
                + ": install the Debian package " + PACKAGE + " (apt-get install " + PACKAGE + ")");
    }

    /** The Debian package's folder, then what {@code pg_config --bindir} answers (when pg_config is there). */
    private static List<Path> candidateBinDirs() {
        List<Path> candidates = new ArrayList<>(List.of(DEBIAN_BIN));
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                candidates.add(Path.of(out));
            }
        } catch (IOException e) {
            // no pg_config: the Debian folder is the only candidate
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return candidates;
    }

    /** Stops and deletes the clusters in {@code tmp} whose JVM is gone (killed before its shutdown hook ran). */
    static void removeOrphans(Path tmp, Path bin, boolean asPostgres) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path d : dirs) {
                Optional<Long> owner = TempServers.pid(d.resolve(OWNER_FILE));
                if (owner.isPresent() && ProcessHandle.of(owner.get()).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                if (owner.isPresent() || Files.isDirectory(d.resolve("data"))) {
                    stopCluster(d, bin, asPostgres);
                    TempServers.delete(d, "PostgreSQL test cluster");
                }
            }
        } catch (IOException e) {
            System.err.println("Could not look for PostgreSQL test clusters left behind in " + tmp + ": " + e);
        }
    }

    private static void stopCluster(Path d, Path bin, boolean asPostgres) {
        if (!Files.exists(d.resolve("data").resolve("postmaster.pid"))) {
            return;
        }
        try {
            String output = execute(command(bin, asPostgres, "pg_ctl", "-D", d.resolve("data").toString(), "-m", "immediate", "-w",
                    "stop"), d);
            if (output != null) {
                System.err.println("Stopping the PostgreSQL test cluster in " + d + " failed: " + output);
            }
        } catch (IOException e) {
            System.err.println("Stopping the PostgreSQL test cluster in " + d + " failed: " + e);
        }
    }

}
