package dev.switchboard.runtime.engine;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.FailsafeExecutor;
import dev.switchboard.runtime.config.ModelRef;
import dev.switchboard.runtime.config.RetrySpec;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatResponse;

/**
 * One model a call may be sent to (the primary or a fallback), with its provider, its circuit breaker
 * (null when disabled), its retry spec, and the Failsafe executor that runs its retries (the retry
 * policy for the attempts after the first, then the breaker). Immutable.
 *
 * @param ref      the model reference
 * @param provider the provider
 * @param breaker  the provider's circuit breaker, or null
 * @param retry    the retry spec
 * @param retries  the policies of the attempts after the first
 */
record Target(ModelRef ref, ChatProvider provider, CircuitBreaker<ChatResponse> breaker, RetrySpec retry,
              FailsafeExecutor<ChatResponse> retries) {
}
