package dev.flinkpatterns.doccheck;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Hands pages to lanes, longest first, so that the last page to end ends early. A lane takes the first waiting page
 * none of whose resources a running page holds, and all of them at once (so no two lanes wait for each other); an
 * exclusive page starts only in lane 1 when nothing else runs, and nothing behind it starts before it. Thread-safe:
 * each lane's thread calls {@link #take} and then {@link #finish}.
 */
final class PageScheduler<P> {

    /** A page and what it holds while it runs. */
    record Page<P>(P page, PageResources resources) {
    }

    private final List<Page<P>> waiting;
    private final List<Page<P>> running = new ArrayList<>();

    PageScheduler(List<Page<P>> pages) {
        List<Page<P>> sorted = new ArrayList<>(pages);
        // Stable: pages of the same estimate keep their order.
        sorted.sort(Comparator.comparingLong((Page<P> p) -> p.resources().estimatedSeconds()).reversed());
        this.waiting = sorted;
    }

    /** The next page for {@code lane} (1-based), waiting until one can start; empty when no page is left. */
    synchronized Optional<Page<P>> take(int lane) throws InterruptedException {
        while (!waiting.isEmpty()) {
            Optional<Page<P>> next = startable(lane);
            if (next.isPresent()) {
                waiting.remove(next.get());
                running.add(next.get());
                return next;
            }
            wait(); // until a running page ends
        }
        return Optional.empty();
    }

    synchronized void finish(Page<P> page) {
        running.remove(page);
        notifyAll();
    }

    private Optional<Page<P>> startable(int lane) {
        if (running.stream().anyMatch(p -> p.resources().exclusive())) {
            return Optional.empty();
        }
        Set<String> held = new HashSet<>();
        running.forEach(p -> held.addAll(p.resources().resources()));
        for (Page<P> page : waiting) {
            if (page.resources().exclusive()) {
                return running.isEmpty() && lane == 1 ? Optional.of(page) : Optional.empty();
            }
            if (Collections.disjoint(held, page.resources().resources())) {
                return Optional.of(page);
            }
        }
        return Optional.empty();
    }
}
