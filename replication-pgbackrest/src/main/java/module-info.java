/**
 * pgreplication pgBackRest: configuration, commands, info JSON, SSH trust to the repository host, and a standby
 * restore as a clone method. Only {@code io.github.pgreplication.pgbackrest} is exported;
 * {@code io.github.pgreplication.pgbackrest.internal} has no compatibility guarantees.
 */
module io.github.pgreplication.pgbackrest {
    requires transitive io.github.pgreplication;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires java.naming;

    exports io.github.pgreplication.pgbackrest;
}
