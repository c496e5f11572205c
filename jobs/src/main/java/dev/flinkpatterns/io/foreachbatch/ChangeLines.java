package dev.flinkpatterns.io.foreachbatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkpatterns.table.Change;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A change as one JSON line and back: how a pending batch file holds its rows ({@code "cells":null}: a delete). */
final class ChangeLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChangeLines() {}

    static String line(Change change) {
        ObjectNode node = JSON.createObjectNode().put("key", change.key());
        if (change.isDelete()) {
            node.putNull("cells");
        } else {
            ArrayNode cells = node.putArray("cells");
            change.cells().forEach(cells::add);
        }
        return node.toString();
    }

    static Change change(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            JsonNode key = node.get("key");
            JsonNode cells = node.get("cells");
            if (cells.isNull()) {
                return Change.delete(key.isNull() ? null : key.asText());
            }
            List<String> values = new ArrayList<>(cells.size());
            cells.forEach(cell -> values.add(cell.isNull() ? null : cell.asText()));
            return new Change(key.isNull() ? null : key.asText(), values);
        } catch (IOException e) {
            throw new UncheckedIOException("not a row of a pending batch file: " + line, e);
        }
    }
}
