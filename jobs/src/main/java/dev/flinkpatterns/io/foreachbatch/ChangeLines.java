package dev.flinkpatterns.io.foreachbatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkpatterns.table.Change;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A change as one JSON line and back: how a pending batch file holds its rows ({@code "cells":null}: a delete).
 * The file is the sink's own state, so it describes itself: {@code "types"} has one letter per cell (S string,
 * I int, L long, D double, N decimal, B boolean, T timestamp, A date; null cells a space), and the values come back
 * as the same Java types, without the sink knowing the result's schema.
 */
final class ChangeLines {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Class<?>[] TAGGED = {String.class, Integer.class, Long.class, Double.class, BigDecimal.class,
        Boolean.class, LocalDateTime.class, LocalDate.class};
    private static final String TAGS = "SILDNBTA";

    private ChangeLines() {}

    static String line(Change change) {
        ObjectNode node = JSON.createObjectNode().put("key", change.key());
        if (change.isDelete()) {
            node.putNull("cells");
            return node.toString();
        }
        ArrayNode cells = node.putArray("cells");
        StringBuilder types = new StringBuilder();
        for (Object cell : change.cells()) {
            char tag = tag(cell);
            types.append(tag);
            switch (tag) {
                case ' ' -> cells.addNull();
                case 'I' -> cells.add((Integer) cell);
                case 'L' -> cells.add((Long) cell);
                case 'D' -> cells.add((Double) cell);
                case 'B' -> cells.add((Boolean) cell);
                case 'N' -> cells.add(((BigDecimal) cell).toPlainString());
                default -> cells.add(cell.toString()); // String, LocalDateTime and LocalDate in ISO form
            }
        }
        node.put("types", types.toString());
        return node.toString();
    }

    private static char tag(Object cell) {
        if (cell == null) {
            return ' ';
        }
        for (int i = 0; i < TAGGED.length; i++) {
            if (TAGGED[i].isInstance(cell)) {
                return TAGS.charAt(i);
            }
        }
        throw new IllegalArgumentException("a result value of type " + cell.getClass().getName());
    }

    static Change change(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            JsonNode key = node.get("key");
            JsonNode cells = node.get("cells");
            if (cells.isNull()) {
                return Change.delete(key.isNull() ? null : key.asText());
            }
            JsonNode typesNode = node.get("types");
            String types = typesNode == null ? null : typesNode.asText();
            List<Object> values = new ArrayList<>(cells.size());
            for (int i = 0; i < cells.size(); i++) {
                JsonNode cell = cells.get(i);
                values.add(cell.isNull() ? null : value(types == null ? 'S' : types.charAt(i), cell));
            }
            return new Change(key.isNull() ? null : key.asText(), values);
        } catch (IOException e) {
            throw new UncheckedIOException("not a row of a pending batch file: " + line, e);
        }
    }

    private static Object value(char type, JsonNode cell) {
        return switch (type) {
            case 'I' -> cell.asInt();
            case 'L' -> cell.asLong();
            case 'D' -> cell.asDouble();
            case 'N' -> new BigDecimal(cell.asText());
            case 'B' -> cell.asBoolean();
            case 'T' -> LocalDateTime.parse(cell.asText());
            case 'A' -> LocalDate.parse(cell.asText());
            default -> cell.asText();
        };
    }
}
