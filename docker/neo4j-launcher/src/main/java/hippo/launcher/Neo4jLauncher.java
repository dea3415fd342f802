package hippo.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs a Neo4j Community server (embedded DBMS + Bolt connector) until SIGTERM/SIGINT.
 *
 * <p>Usage: {@code java -cp target/neo4j-launcher.jar:target/lib/* hippo.launcher.Neo4jLauncher
 * --data-dir DIR [--port 7687] [--host 127.0.0.1] [--page-cache 256m] [--http-port 7474]}.
 * Without {@code --http-port} only Bolt listens; with it, the HTTP API and Neo4j Browser
 * ({@code http://HOST:PORT/browser/}) listen too, on the same host. Auth is on when the
 * environment variable NEO4J_LAUNCHER_PASSWORD is non-empty (user {@code neo4j}), off otherwise;
 * the password comes from the environment so it never shows up in {@code ps}.
 */
public final class Neo4jLauncher {
    private static final String DEFAULT_USER = "neo4j";

    private Neo4jLauncher() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parseArgs(args);
        Path home = Path.of(require(opts, "data-dir")).toAbsolutePath();
        String host = opts.getOrDefault("host", "127.0.0.1");
        String port = opts.getOrDefault("port", "7687");
        String pageCache = opts.getOrDefault("page-cache", "256m");
        String httpPort = opts.getOrDefault("http-port", "");
        String password = System.getenv().getOrDefault("NEO4J_LAUNCHER_PASSWORD", "");
        boolean auth = !password.isEmpty();
        Files.createDirectories(home);

        Map<String, String> config = new LinkedHashMap<>();
        config.put("server.bolt.enabled", "true");
        config.put("server.bolt.listen_address", host + ":" + port);
        config.put("server.bolt.advertised_address", host + ":" + port);
        // HTTP (and with it Neo4j Browser) only when asked: tests and CI need Bolt alone
        config.put("server.http.enabled", Boolean.toString(!httpPort.isEmpty()));
        if (!httpPort.isEmpty()) {
            config.put("server.http.listen_address", host + ":" + httpPort);
            config.put("server.http.advertised_address", host + ":" + httpPort);
        }
        config.put("dbms.security.auth_enabled", Boolean.toString(auth));
        config.put("server.memory.pagecache.size", pageCache);
        // a local dev/test server: keep transaction logs from piling up on disk
        config.put("db.tx_log.rotation.retention_policy", "2 files");

        // Settings go through a generated neo4j.conf (the builder takes raw settings only from a
        // file); it is rewritten on every start so it always matches the command line.
        Path conf = home.resolve("neo4j.conf");
        StringBuilder text = new StringBuilder("# written by hippo's neo4j launcher on every start\n");
        config.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(conf, text.toString());

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home).loadPropertiesFromFile(conf).build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "neo4j-launcher-shutdown"));

        if (auth) {
            setPassword(dbms, password);
        }
        if (!httpPort.isEmpty()) {
            System.out.println("BROWSER http://" + host + ":" + httpPort + "/browser/");
        }
        System.out.println("READY bolt://" + host + ":" + port + " auth=" + (auth ? "on" : "off"));
        System.out.flush();
        stopped.await();
    }

    /** Makes the built-in user's password the requested one, without a forced change on login. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database("system");
        try {
            system.executeTransactionally(
                    "ALTER USER " + DEFAULT_USER + " SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the value it already has: that is success here.
            if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + a);
            }
            out.put(a.substring(2), args[++i]);
        }
        return out;
    }

    private static String require(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }
}
