package dev.hookengine.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the packaged server as processes on 127.0.0.1 and a free port, and makes sure every one of
 * them is gone after each test, passed or failed ({@code @RegisterExtension}). When a test fails, the
 * output of the last servers it started is printed, since that is where a server's own exception is.
 */
final class ServerProcesses implements AfterEachCallback {

    /** A crash test starts dozens; the last few are the ones a failure is about. */
    private static final int PRINTED_ON_FAILURE = 3;

    private final List<ServerProcess> started = new ArrayList<>();

    /**
     * {@code java -jar engine-server.jar --host 127.0.0.1 --port 0 arguments...}, ready.
     *
     * @param environment the server's {@code HOOKENGINE_*} variables
     */
    ServerProcess start(String name, List<String> arguments, Map<String, String> environment) {
        return start(name, List.of(), arguments, environment);
    }

    /** As {@link #start(String, List, Map)}, with options for the server's JVM ({@code -D...}). */
    ServerProcess start(String name, List<String> jvmOptions, List<String> arguments, Map<String, String> environment) {
        List<String> serverArguments = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0"));
        serverArguments.addAll(arguments);
        List<String> command = ServerJar.command(jvmOptions, serverArguments);
        ServerProcess server = ServerProcess.start(name, command, environment);
        synchronized (started) {
            started.add(server);
        }
        return server;
    }

    /**
     * Kills whatever still runs; for a test's own {@code @AfterEach} that must stop the servers
     * before what they use (JUnit calls this extension only after the test's {@code @AfterEach}).
     */
    void closeAll() {
        List<ServerProcess> all;
        synchronized (started) {
            all = List.copyOf(started);
        }
        all.forEach(ServerProcess::close);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<ServerProcess> all;
        synchronized (started) {
            all = List.copyOf(started);
            started.clear();
        }
        all.forEach(ServerProcess::close);
        if (context.getExecutionException().isPresent() && !all.isEmpty()) {
            System.out.println(all.size() + " server processes were started; the output of the last "
                    + Math.min(PRINTED_ON_FAILURE, all.size()) + ":");
            all.subList(Math.max(0, all.size() - PRINTED_ON_FAILURE), all.size())
                    .forEach(server -> System.out.println(server.describe()));
        }
    }
}
