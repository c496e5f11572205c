package dev.flinkpatterns.doccheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PageSchedulerTest {

    private static PageScheduler.Page<String> page(String name, long seconds, String... resources) {
        return new PageScheduler.Page<>(name, new PageResources(Set.of(resources), false, seconds));
    }

    private static PageScheduler.Page<String> exclusive(String name, long seconds) {
        return new PageScheduler.Page<>(name, new PageResources(Set.of(), true, seconds));
    }

    private static String take(PageScheduler<String> scheduler, int lane) throws InterruptedException {
        return scheduler.take(lane).map(PageScheduler.Page::page).orElse("none");
    }

    @Test
    void longestPagesFirstAndAPageWhosePortIsHeldWaits() throws Exception {
        var shortOne = page("short", 10);
        var kafka = page("kafka", 100, "port 9092");
        var guide = page("guide", 90, "port 9092");
        var socket = page("socket", 50, "port 9997");
        PageScheduler<String> scheduler = new PageScheduler<>(List.of(shortOne, kafka, guide, socket));

        assertThat(take(scheduler, 1)).isEqualTo("kafka");
        assertThat(take(scheduler, 2)).isEqualTo("socket"); // guide is longer, but shares kafka's port
        assertThat(take(scheduler, 3)).isEqualTo("short");
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return take(scheduler, 2);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        scheduler.finish(socket);
        // The socket page's end frees nothing that the guide needs.
        assertThat(waiting).isNotDone();
        scheduler.finish(kafka);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("guide");
        scheduler.finish(shortOne);
        assertThat(scheduler.take(1)).isEmpty();
    }

    @Test
    void anExclusivePageRunsAloneInLaneOne() throws Exception {
        var alone = exclusive("alone", 100);
        var other = page("other", 10);
        PageScheduler<String> scheduler = new PageScheduler<>(List.of(other, alone));

        CompletableFuture<String> laneTwo = CompletableFuture.supplyAsync(() -> {
            try {
                return take(scheduler, 2);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(take(scheduler, 1)).isEqualTo("alone");
        assertThat(laneTwo).isNotDone(); // nothing starts beside it
        scheduler.finish(alone);
        assertThat(laneTwo.get(10, TimeUnit.SECONDS)).isEqualTo("other");
    }

    /** Lanes that run pages for a few milliseconds each: no two pages that share a resource ever overlap. */
    @Test
    void concurrentLanesNeverRunTwoPagesThatShareAResource() throws Exception {
        List<PageScheduler.Page<String>> pages = new ArrayList<>();
        String[] ports = {"port 1", "port 2", "port 3"};
        for (int i = 0; i < 18; i++) {
            pages.add(i % 4 == 3 ? page("free-" + i, i) : page("p" + i, i, ports[i % 3]));
        }
        PageScheduler<String> scheduler = new PageScheduler<>(pages);
        record Run(PageScheduler.Page<String> page, long start, long end) {
        }
        List<Run> runs = Collections.synchronizedList(new ArrayList<>());
        Set<String> held = new HashSet<>();
        List<String> clashes = Collections.synchronizedList(new ArrayList<>());
        int[] running = {0, 0}; // now, most at once
        CountDownLatch sideBySide = new CountDownLatch(1);
        List<Thread> lanes = new ArrayList<>();
        for (int lane = 1; lane <= 3; lane++) {
            int number = lane;
            Thread thread = new Thread(() -> {
                try {
                    for (Optional<PageScheduler.Page<String>> page = scheduler.take(number); page.isPresent(); page = scheduler.take(number)) {
                        Set<String> resources = page.get().resources().resources();
                        synchronized (held) {
                            // Checked when a page starts, whatever the timing: no running page holds its resources.
                            if (!Collections.disjoint(held, resources)) {
                                clashes.add(page.get().page());
                            }
                            held.addAll(resources);
                            running[1] = Math.max(running[1], ++running[0]);
                            if (running[0] > 1) {
                                sideBySide.countDown();
                            }
                        }
                        long start = System.nanoTime();
                        // The page's commands: the first pages run until another lane has started one too.
                        sideBySide.await(30, TimeUnit.SECONDS);
                        runs.add(new Run(page.get(), start, System.nanoTime()));
                        synchronized (held) {
                            held.removeAll(resources);
                            running[0]--;
                        }
                        scheduler.finish(page.get());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
            lanes.add(thread);
        }
        for (Thread lane : lanes) {
            lane.join(30_000);
        }

        assertThat(runs).extracting(Run::page).containsExactlyInAnyOrderElementsOf(pages);
        assertThat(clashes).as("pages started while a running page held one of their resources").isEmpty();
        for (Run a : runs) {
            for (Run b : runs) {
                if (a != b && a.start() < b.end() && b.start() < a.end()) {
                    assertThat(Collections.disjoint(a.page().resources().resources(), b.page().resources().resources()))
                            .as(a.page().page() + " ran at the same time as " + b.page().page()).isTrue();
                }
            }
        }
        synchronized (held) {
            assertThat(running[1]).as("most pages running at once").isGreaterThan(1);
        }
    }
}
