package dev.switchboard.gateway;

import dev.switchboard.api.Completion;
import dev.switchboard.api.Deployment;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;

/** The prompt interface of the reporting application: deployment {@code support}, configured in the application. */
public interface Support {
    @Deployment("support")
    @UserMessage("{{question}}")
    Completion<String> ask(@Var("question") String question);
}
