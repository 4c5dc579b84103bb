/**
 * Where commands run and files are written ({@link io.github.pgreplication.host.Host}: local, SSH, or a container
 * in the testkit), commands as argument lists ({@link io.github.pgreplication.host.Command}), and how servers are
 * started and restarted ({@link io.github.pgreplication.host.ServiceControl}).
 */
package io.github.pgreplication.host;
