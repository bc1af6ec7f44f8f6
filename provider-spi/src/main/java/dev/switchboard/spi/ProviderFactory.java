package dev.switchboard.spi;

/**
 * Creates {@link ChatProvider}s of one type. Found with {@link java.util.ServiceLoader}: list the
 * implementation in {@code META-INF/services/dev.switchboard.spi.ProviderFactory}. Built-in providers
 * are registered the same way. Implementations need a public no-argument constructor and must be
 * thread-safe.
 *
 * <pre>{@code
 * public final class AcmeProviderFactory implements ProviderFactory {
 *     public String type() { return "acme"; }
 *     public ChatProvider create(ProviderConfig config) { return new AcmeProvider(config); }
 * }
 * }</pre>
 */
public interface ProviderFactory {

    /** The {@code type} this factory serves in a provider entry, for example {@code openai}. */
    String type();

    /**
     * Creates a provider for a configuration entry. Validates the entry and fails early.
     *
     * @throws InvalidProviderConfigException naming the key when the entry is invalid
     */
    ChatProvider create(ProviderConfig config);
}
