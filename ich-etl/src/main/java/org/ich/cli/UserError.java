package org.ich.cli;

/** A mistake in the input or the environment that the user can fix; printed without a stack trace, exit code 2. */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
