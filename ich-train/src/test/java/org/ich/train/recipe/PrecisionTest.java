package org.ich.train.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.ich.config.ConfigError;
import org.ich.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecisionTest {

    @Test
    void halfPrecisionIsRefusedOnTheCpuBackendNamingTheKey(@TempDir Path dir) {
        RecipeConfig recipe = RecipeConfig.from(TestSettings.under(dir, "ich.train.precision=fp16"));
        ConfigError error = assertThrows(ConfigError.class, () -> recipe.precision().checkSupported());
        assertEquals("ich.train.precision", error.key());
        assertTrue(error.getMessage().contains("fp16") && error.getMessage().contains("fp32"), error.getMessage());
    }

    @Test
    void singlePrecisionPassesAndUnknownValuesAreNamed(@TempDir Path dir) {
        RecipeConfig.from(TestSettings.under(dir)).precision().checkSupported();
        ConfigError error = assertThrows(ConfigError.class,
                () -> RecipeConfig.from(TestSettings.under(dir, "ich.train.precision=bf16")));
        assertEquals("ich.train.precision", error.key());
    }

    @Test
    void recipeKeysAreValidatedByName(@TempDir Path dir) {
        assertEquals("ich.train.head-epochs", assertThrows(ConfigError.class, () -> RecipeConfig.from(
                TestSettings.under(dir, "ich.train.epochs=2", "ich.train.head-epochs=2"))).key());
        assertEquals("ich.train.optimizer", assertThrows(ConfigError.class, () -> RecipeConfig.from(
                TestSettings.under(dir, "ich.train.optimizer=rmsprop"))).key());
        assertEquals("ich.train.sizes", assertThrows(ConfigError.class, () -> RecipeConfig.from(
                TestSettings.under(dir, "ich.train.sizes=[16]"))).key());
    }
}
