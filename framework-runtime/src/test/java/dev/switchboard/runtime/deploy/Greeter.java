package dev.switchboard.runtime.deploy;

import dev.switchboard.api.Completion;
import dev.switchboard.api.Context;
import dev.switchboard.api.Deployment;
import dev.switchboard.api.Model;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;

/** The prompt interface of the deploy tests: deployment {@code greet} on the mock provider (which echoes). */
public interface Greeter {
    @Deployment("greet")
    @Model("mock/echo-1")
    @UserMessage("code {{name}}")
    Completion<String> hi(@Var("name") String name, @Context("plan") String plan);
}
