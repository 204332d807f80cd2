package org.ich.cli;

import java.util.concurrent.Callable;

/**
 * A command of {@code submit/ich}. Each module lists its commands in
 * {@code META-INF/services/org.ich.cli.IchCommand}, so the launcher finds commands of later stages without the
 * earlier modules knowing them. Implementations are picocli {@code @Command} classes with a no-arg constructor.
 */
public interface IchCommand extends Callable<Integer> {
}
