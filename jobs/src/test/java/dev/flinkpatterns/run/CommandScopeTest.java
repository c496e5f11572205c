package dev.flinkpatterns.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What a command of the resident runtime sees instead of the JVM's: environment, input, output, and its stop. */
class CommandScopeTest {

    private final CommandScope scope = new CommandScope(Map.of("PATTERNS_WEB_UI_PORT", "18123"),
            new ByteArrayInputStream("typed\n".getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream());

    @Test
    void aCommandAndTheThreadsItStartsSeeItsScope() throws Exception {
        AtomicReference<CommandScope> seenByChild = new AtomicReference<>();

        scope.run(() -> {
            assertThat(CommandScope.environment()).containsExactly(Map.entry("PATTERNS_WEB_UI_PORT", "18123"));
            assertThat(new String(CommandScope.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("typed\n");
            Thread child = new Thread(() -> seenByChild.set(CommandScope.current()));
            child.start();
            child.join();
            return 0;
        });

        assertThat(seenByChild.get()).isSameAs(scope);
        assertThat(CommandScope.current()).isNull();
        assertThat(CommandScope.environment()).isEqualTo(System.getenv());
        assertThat(CommandScope.input()).isSameAs(System.in);
    }

    @Test
    void stopRunsTheHooksStillRegisteredAndWaitsForThem() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        scope.run(() -> {
            CommandScope.onStop(new Thread(() -> ran.add("job cancelled")));
            Runnable removeGenerator = CommandScope.onStop(new Thread(() -> ran.add("generator stopped")));
            removeGenerator.run(); // its work ended normally
            return 0;
        });

        scope.stop();

        assertThat(ran).containsExactly("job cancelled");
    }

    @Test
    void aHookRegisteredAfterTheStopRunsAtOnce() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        scope.stop();

        scope.run(() -> {
            Thread late = new Thread(() -> ran.add("late hook"));
            CommandScope.onStop(late);
            late.join();
            return 0;
        });

        assertThat(ran).containsExactly("late hook");
    }
}
