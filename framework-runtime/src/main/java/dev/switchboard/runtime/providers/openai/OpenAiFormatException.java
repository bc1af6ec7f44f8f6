package dev.switchboard.runtime.providers.openai;

/**
 * A JSON document that does not follow the OpenAI Chat Completions wire format, naming the field at
 * fault as a path such as {@code messages[2].role}. Thrown by the reading methods of {@link OpenAiCodec}:
 * a gateway answers it with HTTP 400 and {@code "param": path()}; a provider reports it as a malformed
 * answer. Immutable.
 *
 * <pre>{@code
 * try {
 *     codec.readRequest(body);
 * } catch (OpenAiFormatException e) {
 *     e.getMessage(); // "messages[2].role: unknown role 'robot' (expected system, user, assistant or tool)"
 *     e.path();       // "messages[2].role"
 * }
 * }</pre>
 */
public final class OpenAiFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final String problem;

    /**
     * @param path    the JSON field path at fault, for example {@code tools[0].function.name}
     * @param problem what is wrong with it
     */
    public OpenAiFormatException(String path, String problem) {
        super(path == null || path.isEmpty() ? problem : path + ": " + problem);
        this.path = path == null ? "" : path;
        this.problem = problem;
    }

    /** The JSON field path at fault; empty for the document as a whole. */
    public String path() {
        return path;
    }

    /** The problem, without the path. */
    public String problem() {
        return problem;
    }
}
