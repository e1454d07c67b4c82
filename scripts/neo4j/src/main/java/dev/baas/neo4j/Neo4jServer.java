package dev.baas.neo4j;

import java.nio.file.Path;
import java.time.Duration;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Neo4j 5 community, embedded, serving Bolt on 127.0.0.1. Auth is disabled: it binds to loopback
 * only and is a development/test store (docker-compose.yml runs the official image instead).
 *
 * Usage: java -cp ... dev.baas.neo4j.Neo4jServer <dataDir> [port]
 */
public final class Neo4jServer {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args.length > 0 ? args[0] : "neo4j-data").toAbsolutePath();
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 7687;
    DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
        .setConfig(HttpConnector.enabled, false)
        .setConfig(GraphDatabaseSettings.auth_enabled, false)
        .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(60))
        .build();
    dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME); // fail fast if it cannot start
    Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
    System.out.println("neo4j ready on bolt://127.0.0.1:" + port);
    Thread.currentThread().join();
  }
}
