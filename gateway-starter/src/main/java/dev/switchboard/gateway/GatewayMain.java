package dev.switchboard.gateway;

import dev.switchboard.api.SwitchboardException;
import dev.switchboard.runtime.config.DeploymentConfig;
import io.netty.util.ResourceLeakDetector;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * The standalone gateway:
 * <pre>
 * java -jar switchboard-gateway.jar [--config switchboard.yaml] [--port 8080] [--host 127.0.0.1]
 * java -jar switchboard-gateway.jar --hash-key &lt;key&gt;     # prints the sha256:… line for gateway.keys
 * </pre>
 * Without {@code --config} it serves the embedded default (a {@code mock} provider and a {@code hello}
 * deployment). SIGTERM and Ctrl-C close it gracefully (calls in flight finish, up to
 * {@code gateway.drain_timeout}) and the process exits 0. Exit status 1: the configuration is invalid or
 * the address cannot be bound; 2: bad arguments. Netty's buffer leak sampling is off unless
 * {@code -Dio.netty.leakDetection.level} asks for it (see {@link #leakDetectionOffUnlessAsked}).
 */
public final class GatewayMain {
    private GatewayMain() {
    }

    /** Runs the gateway until SIGTERM or Ctrl-C. */
    public static void main(String[] args) {
        leakDetectionOffUnlessAsked();
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Turns Netty's buffer leak detection off unless a system property sets its level. By default Netty tracks one
     * buffer in 128 with a stack trace taken at allocation and release, which under load was 1.5–2 % of the event
     * loops' time (async-profiler) for a check meant for development; the tests run with it at its strictest. Only
     * the standalone gateway does this: an application embedding the gateway keeps its own setting.
     */
    static void leakDetectionOffUnlessAsked() {
        if (System.getProperty("io.netty.leakDetection.level") == null && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        GatewayOptions.Builder options = GatewayOptions.builder();
        String config = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--config", "-c" -> config = value(args, ++i, a);
                    case "--port", "-p" -> options.port(Integer.parseInt(value(args, ++i, a)));
                    case "--host" -> options.host(value(args, ++i, a));
                    case "--hash-key" -> {
                        out.println(ApiKeys.hash(value(args, ++i, a)));
                        return 0;
                    }
                    case "--help", "-h" -> {
                        usage(out);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("switchboard-gateway: " + e.getMessage());
            usage(err);
            return 2;
        }
        if (config != null) {
            if (!Files.isRegularFile(Path.of(config))) {
                err.println("switchboard-gateway: configuration file not found: " + config);
                return 1;
            }
            options.config(Path.of(config));
        }
        SwitchboardGateway gateway;
        try {
            gateway = SwitchboardGateway.start(options.build());
        } catch (SwitchboardException | IllegalStateException e) {
            err.println("switchboard-gateway: " + e.getMessage());
            return 1;
        }
        Runnable stop = () -> {
            gateway.close();
            System.exit(0);
        };
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "sb-gateway-shutdown"));
        onSignal("TERM", stop);
        onSignal("INT", stop);
        banner(out, gateway, config);
        gateway.awaitTermination();
        return 0;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static void usage(PrintStream s) {
        s.println("usage: java -jar switchboard-gateway.jar [--config switchboard.yaml] [--port 8080] [--host 127.0.0.1]");
        s.println("       java -jar switchboard-gateway.jar --hash-key <key>   (prints the line to put under gateway.keys)");
    }

    private static void banner(PrintStream out, SwitchboardGateway gw, String config) {
        String base = gw.baseUrl();
        Iterator<DeploymentConfig> deployments = gw.switchboard().config().deployments().values().iterator();
        String model = deployments.hasNext() ? deployments.next().key() : "provider/model";
        boolean keys = !gw.switchboard().config().gateway().path("keys").isEmpty();
        out.println("Switchboard gateway listening on " + base);
        out.println("  configuration: " + (config == null ? "embedded default (mock provider, deployment 'hello'; --config to use yours)" : config));
        out.println("  API keys:      " + (keys ? "required (Authorization: Bearer <key>)" : "none configured, loopback only"));
        out.println("Try:");
        String auth = keys ? " -H 'authorization: Bearer <key>'" : "";
        String inputs = config == null ? ",\"inputs\":{\"name\":\"Ada\"}" : "";
        out.println("  curl -s " + base + "/v1/chat/completions -H 'content-type: application/json'" + auth
                + " -d '{\"model\":\"" + model + "\"" + inputs + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi!\"}]}'");
        out.println("  curl -s " + base + "/v1/models" + auth);
        out.println("  curl -s " + base + "/health");
        out.println("  OpenAI SDKs: base URL " + base + "/v1");
        out.println("Stop with Ctrl-C or SIGTERM: calls in flight finish first.");
        out.flush();
    }

    /** Handles a signal with {@code action} (via sun.misc.Signal when present); otherwise the shutdown hook still closes. */
    private static void onSignal(String name, Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object h = Proxy.newProxyInstance(GatewayMain.class.getClassLoader(), new Class<?>[] {handler}, (proxy, m, a) -> {
                if (m.getName().equals("handle")) {
                    new Thread(action, "sb-gateway-sig" + name).start();
                    return null;
                }
                return switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == a[0];
                    default -> "SignalHandler[" + name + "]";
                };
            });
            signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance(name), h);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // Not available on this JVM: SIGTERM still closes gracefully through the shutdown hook.
        }
    }
}
