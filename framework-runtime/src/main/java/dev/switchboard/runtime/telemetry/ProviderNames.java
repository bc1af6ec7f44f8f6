package dev.switchboard.runtime.telemetry;

import java.util.Locale;

/**
 * Maps a provider factory type ({@code openai}, {@code azure-openai}, {@code gemini}, …) to the
 * well-known {@code gen_ai.provider.name} value of the GenAI conventions; a type without a well-known
 * value is reported as itself. Stateless.
 */
public final class ProviderNames {
    private ProviderNames() {
    }

    /** The {@code gen_ai.provider.name} of provider type {@code type}; {@code _OTHER} for null. */
    public static String of(String type) {
        if (type == null) {
            return "_OTHER";
        }
        switch (type) {
            case "openai": return "openai";
            case "azure-openai": case "azure_openai": case "azure": return "azure.ai.openai";
            case "azure-inference": case "azure_ai_inference": return "azure.ai.inference";
            case "anthropic": return "anthropic";
            case "cohere": return "cohere";
            case "gemini": case "google": case "google-ai": return "gcp.gemini";
            case "vertex": case "vertex-ai": case "vertex_ai": return "gcp.vertex_ai";
            case "groq": return "groq";
            case "mistral": case "mistral_ai": case "mistralai": return "mistral_ai";
            case "deepseek": return "deepseek";
            case "bedrock": case "aws-bedrock": return "aws.bedrock";
            case "perplexity": return "perplexity";
            case "xai": case "x_ai": case "grok": return "x_ai";
            case "watsonx": case "ibm-watsonx": return "ibm.watsonx.ai";
            default: return type.toLowerCase(Locale.ROOT);
        }
    }
}
