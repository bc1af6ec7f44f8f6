package dev.switchboard.runtime.proxy;

import dev.switchboard.runtime.config.VariantConfig;

/**
 * What a method of a prompt interface means, parsed once from its annotations. Immutable (the arrays
 * are never modified after parsing).
 *
 * @param where            {@code Interface.method}, for messages
 * @param deployment       the deployment key
 * @param group            the interface's deployment key
 * @param defaults         annotation defaults
 * @param varNames         template variable names of {@code @Var} parameters
 * @param varPositions     their parameter positions
 * @param contextNames     routing attribute names of {@code @Context} parameters
 * @param contextPositions their parameter positions
 * @param inputPosition    the plain parameter that is the user message, or -1
 * @param adapter          how the result is returned
 */
record MethodDescriptor(String where, String deployment, String group, VariantConfig defaults, String[] varNames, int[] varPositions,
                        String[] contextNames, int[] contextPositions, int inputPosition, ReturnAdapter adapter) {
}
