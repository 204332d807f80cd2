package org.ich.train.registry;

/**
 * Outcome of {@link ModelRegistry#promote}: whether the candidate is now the champion, why (or why not), and which
 * version was champion before the call (null when there was none).
 */
public record Promotion(boolean promoted, String reason, String previousChampion) {
}
