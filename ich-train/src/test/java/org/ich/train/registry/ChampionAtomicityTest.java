package org.ich.train.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.ich.train.registry.RegistryFixtures.SAME_PATIENTS;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Promotions racing each other, as separate registry instances (separate jobs) would, while a reader keeps reading the
 * champion file: the reader only ever sees a whole pointer, the best model ends up champion, and nothing is left
 * behind but the pointer.
 */
class ChampionAtomicityTest {

    @Test
    void racingPromotionsLeaveTheBestModelAndNeverAHalfWrittenPointer(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("models");
        ModelRegistry setup = RegistryFixtures.registry(root.toUri());
        Map<String, Double> loss = new ConcurrentHashMap<>();
        List<ModelVersion> candidates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ModelVersion v = setup.create("run-" + i);
            double l = 0.20 + 0.01 * i;
            RegistryFixtures.complete(setup, v, l, SAME_PATIENTS);
            loss.put(v.id(), l);
            candidates.add(v);
        }
        Collections.shuffle(candidates, new Random(7));

        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Path pointer = root.resolve("champion");
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    byte[] bytes = Files.readAllBytes(pointer);
                    // Throws on a partial file, which fails the test below through the thread's result.
                    seen.add(RegistryJson.read(bytes, ChampionPointer.class).version());
                    reads.incrementAndGet();
                } catch (NoSuchFileException e) {
                    // no champion yet
                } catch (Exception e) {
                    seen.add("BROKEN: " + e);
                }
            }
        });
        reader.start();

        ExecutorService pool = Executors.newFixedThreadPool(candidates.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Promotion>> results = new ArrayList<>();
        for (ModelVersion v : candidates) {
            ModelRegistry own = RegistryFixtures.registry(root.toUri());
            results.add(pool.submit(() -> {
                go.await();
                return own.promote(v);
            }));
        }
        go.countDown();
        List<Promotion> promotions = new ArrayList<>();
        for (Future<Promotion> f : results) promotions.add(f.get(60, TimeUnit.SECONDS));
        pool.shutdown();
        done.set(true);
        reader.join();

        assertTrue(seen.stream().noneMatch(s -> s.startsWith("BROKEN")), "reader saw a partial pointer: " + seen);
        assertTrue(reads.get() > 0);
        String best = loss.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertEquals(best, setup.champion().orElseThrow().id());
        // Every success replaced a worse champion (or none): no promotion won against a better one.
        for (int i = 0; i < candidates.size(); i++) {
            Promotion p = promotions.get(i);
            if (!p.promoted() || p.previousChampion() == null) continue;
            assertTrue(loss.get(candidates.get(i).id()) < loss.get(p.previousChampion()), p.reason());
        }
        assertEquals(1, promotions.stream().filter(p -> p.promoted() && p.previousChampion() == null).count(),
                "exactly one promotion found no champion");
        try (Stream<Path> left = Files.list(root)) {
            assertEquals(Set.of("champion", "versions"), left.map(p -> p.getFileName().toString()).collect(Collectors.toSet()),
                    "no temp or lock file is left");
        }
    }
}
