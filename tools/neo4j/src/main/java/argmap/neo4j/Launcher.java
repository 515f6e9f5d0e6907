package argmap.neo4j;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.kernel.internal.Version;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs a Neo4j Community DBMS with its Bolt connector: the same kernel, Cypher runtime,
 * security and Bolt server as the packaged product, started from Maven jars instead of a
 * tarball or Docker image.
 *
 * <p>Usage: {@code java -cp ... argmap.neo4j.Launcher HOME_DIR CONFIG_FILE}, with the
 * password of user {@code neo4j} in the NEO4J_PASSWORD environment variable. server.py
 * writes CONFIG_FILE (all settings live there, so this class stays free of policy) and
 * waits for the READY line on stdout.
 */
public final class Launcher {
    /** server.py waits for a line starting with this; keep the two in step. */
    static final String READY = "ARGMAP-NEO4J READY";

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Launcher HOME_DIR CONFIG_FILE  (password in NEO4J_PASSWORD)");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Path config = Path.of(args[1]).toAbsolutePath();
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            System.err.println("NEO4J_PASSWORD is not set: it is the password of user neo4j");
            System.exit(2);
        }
        if (!Files.isRegularFile(config)) {
            System.err.println("no config file at " + config);
            System.exit(2);
        }

        // Neo4j may redirect System.out into its log; the READY line must reach the real
        // stdout that server.py reads, so keep our own handle on file descriptor 1.
        PrintStream stdout = new PrintStream(
                new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);

        // SIGTERM and Ctrl-C run shutdown hooks: close the stores cleanly so the next start
        // on the same directory needs no recovery. Registered before the DBMS exists so a
        // stop during startup is clean too (the hook then waits for build() to return).
        AtomicReference<DatabaseManagementService> running = new AtomicReference<>();
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch built = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            stdout.println("ARGMAP-NEO4J stopping");
            try {
                built.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            DatabaseManagementService dbms = running.get();
            if (dbms != null) {
                dbms.shutdown();
            }
            stdout.println("ARGMAP-NEO4J stopped");
        }, "argmap-neo4j-shutdown"));

        // Two starts. Neo4j opens Bolt before main() could set the password, and a client
        // that logs in during that window is refused; a few refusals in a row lock user neo4j
        // out for 5 s, the right password included, past READY. So the password is set with
        // no connector open, and only then does the DBMS start with Bolt.
        DatabaseManagementService dbms;
        try {
            DatabaseManagementService closed = builder(home, config, stdout)
                    .setConfig(BoltConnector.enabled, false)
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    .build();
            running.set(closed);
            try {
                setPassword(closed, password);
            } finally {
                running.set(null);
                closed.shutdown();
            }
            if (stopping.get()) {
                built.countDown();
                return; // told to stop while starting: never claim READY
            }
            dbms = builder(home, config, stdout).build();
            running.set(dbms);
        } catch (Throwable t) {
            // A half-started DBMS can leave non-daemon threads behind: exit, don't hang.
            t.printStackTrace();
            built.countDown();
            System.exit(1);
            return;
        }
        built.countDown();

        if (stopping.get()) {
            return;
        }
        stdout.printf("%s bolt://%s neo4j=%s%n", READY, boltAddress(dbms), Version.getNeo4jVersion());
        // Serve until a signal: System.exit then runs the hook, whatever this thread does.
        Thread.currentThread().join();
    }

    /** Every setting from the config file; Neo4j's user log goes to stdout (server.py's log). */
    private static DatabaseManagementServiceBuilder builder(Path home, Path config, PrintStream stdout) {
        // Embedded mode writes no user log by default; send it to stdout so the server's
        // own startup messages and errors land in the log file server.py keeps.
        return new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(config)
                .setUserLogProvider(new Log4jLogProvider(stdout, Level.INFO));
    }

    /**
     * NEO4J_PASSWORD wins on every start, not only the first: a developer who changes it
     * gets the new one instead of a puzzling AuthError from a store made earlier.
     * neo4j-admin's set-initial-password only works before the first start, so use Cypher
     * on the system database, which embedded code may run with full rights.
     */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (QueryExecutionException e) {
            // Neo4j refuses to "change" a password to the one already set: nothing to do.
            if (e.getMessage() == null || !e.getMessage().contains("cannot be the same")) {
                throw e;
            }
        }
    }

    /** The Bolt address the DBMS actually runs with, for the READY line. */
    private static String boltAddress(DatabaseManagementService dbms) {
        return ((GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME))
                .getDependencyResolver()
                .resolveDependency(Config.class)
                .get(BoltConnector.listen_address)
                .toString();
    }
}
