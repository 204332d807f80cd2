package org.ich.train.registry;

import org.ich.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.ich.train.registry.RegistryFixtures.SAME_PATIENTS;
import static org.junit.jupiter.api.Assertions.*;

/** {@code ich models} through the same entry point spark-submit uses. */
class ModelsCommandTest {

    @Test
    void listsVersionsAndMarksTheChampion(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("models");
        ModelRegistry r = RegistryFixtures.registry(root.toUri());
        String rootArg = "ich.registry.root=\"" + root.toUri() + "\"";
        assertTrue(run(rootArg).contains("no model versions under"));

        ModelVersion champion = r.create("run-1");
        RegistryFixtures.complete(r, champion, 0.2345, SAME_PATIENTS);
        r.promote(champion);
        ModelVersion running = r.create("run-2");

        String table = run(rootArg);
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(0).startsWith("id"), table);
        assertTrue(lines.get(2).startsWith(running.id()) && lines.get(2).contains("RUNNING"), table);
        String championLine = lines.get(3);
        assertTrue(championLine.startsWith(champion.id()), table);
        for (String cell : List.of("COMPLETE", "tiny", "3x32x32", "0.2345", "0.9100", "*")) {
            assertTrue(championLine.contains(cell), cell + " in " + championLine);
        }
        assertTrue(table.contains("champion: " + champion.id()), table);

        assertFalse(table.contains("model card of"), table);
        java.nio.file.Path card = java.nio.file.Path.of(champion.modelCard());
        java.nio.file.Files.createDirectories(card.getParent());
        java.nio.file.Files.writeString(card, "<html></html>");
        String withCard = run(rootArg);
        assertTrue(withCard.lines().filter(l -> l.startsWith(champion.id())).findFirst().orElseThrow().endsWith("| yes"), withCard);
        assertTrue(withCard.contains("model card of " + champion.id() + ": " + champion.modelCard() + "\n"), withCard);

        String json = run(rootArg, "--format", "json");
        List<String> objects = json.lines().toList();
        assertEquals(2, objects.size(), json);
        var first = RegistryJson.tree(objects.get(1));
        assertEquals(champion.id(), first.get("id").asText());
        assertTrue(first.get("champion").asBoolean());
        assertEquals(0.2345, first.get("valid_log_loss").asDouble());
        assertFalse(RegistryJson.tree(objects.get(0)).get("champion").asBoolean());
        assertEquals(champion.modelCard().toString(), first.get("model_card").asText());
    }

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.executeOne(new ModelsCommand(), args));
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
