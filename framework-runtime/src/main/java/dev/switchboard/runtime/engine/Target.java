package dev.switchboard.runtime.engine;

import dev.failsafe.FailsafeExecutor;
import dev.switchboard.runtime.config.ModelRef;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatResponse;

/**
 * One model a call may be sent to (the primary or a fallback), with its provider and the Failsafe
 * executor (retry, then the provider's circuit breaker) that runs its attempts. Immutable.
 *
 * @param ref      the model reference
 * @param provider the provider
 * @param executor the policies of its attempts
 */
record Target(ModelRef ref, ChatProvider provider, FailsafeExecutor<ChatResponse> executor) {
}
