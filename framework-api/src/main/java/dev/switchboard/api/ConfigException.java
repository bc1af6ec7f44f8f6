package dev.switchboard.api;

/**
 * Configuration is invalid. The message names the source (file), the key path (for example
 * {@code deployments.support-bot.variants.a.retry.count}) and the problem.
 */
public class ConfigException extends SwitchboardException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final String path;

    /**
     * @param source  where the configuration came from (a file path, "classpath:switchboard.yaml", …)
     * @param path    the dotted key path, empty for the document root
     * @param problem what is wrong
     */
    public ConfigException(String source, String path, String problem) {
        super(source + ": " + (path == null || path.isEmpty() ? "" : path + ": ") + problem);
        this.source = source;
        this.path = path == null ? "" : path;
    }

    /** The configuration source. */
    public String source() {
        return source;
    }

    /** The dotted key path of the offending value. */
    public String path() {
        return path;
    }
}
