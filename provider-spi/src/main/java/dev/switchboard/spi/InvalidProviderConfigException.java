package dev.switchboard.spi;

/**
 * Thrown by {@link ProviderFactory#create(ProviderConfig)} when a configuration key is missing or
 * invalid. The engine reports it with the configuration file and full key path
 * ({@code providers.<name>.<key>}).
 */
public class InvalidProviderConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String key;

    /**
     * @param key     the provider entry's key at fault, for example {@code base_url}
     * @param problem what is wrong with it
     */
    public InvalidProviderConfigException(String key, String problem) {
        super(problem);
        this.key = key;
    }

    /** The key at fault within the provider's entry. */
    public String key() {
        return key;
    }
}
