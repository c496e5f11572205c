package dev.flinkpatterns.cli;

import dev.flinkpatterns.generator.ClickstreamJsonRows;
import picocli.CommandLine.Command;

@Command(name = "clickstream", mixinStandardHelpOptions = true,
        description = {"Write clickstream_batch_N.json files of page events (JSON lines) for the medallion pipeline.",
            "One JSON object a line: event_id, user_id, session_id, event_type (page_view, click, scroll, add_to_cart; "
                    + "null or missing in some rows), page_url, page_category, timestamp, time_on_page. Written and "
                    + "numbered as generate csv writes its files."})
final class GenerateClickstreamCommand extends GenerateCommand.UserFileGeneratorCommand {

    GenerateClickstreamCommand() {
        super("data/input/clickstream", ClickstreamJsonRows::new);
        users = new UsersOption(ClickstreamJsonRows.DEFAULT_USERS);
    }
}
