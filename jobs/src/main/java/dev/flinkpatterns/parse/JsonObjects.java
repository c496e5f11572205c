package dev.flinkpatterns.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** One JSON object from one line, strictly: anything else is a malformed record with a reason a user can act on. */
public final class JsonObjects {

    /** Decimal fractions stay exact (DECIMAL columns; rescued data keeps them as written). */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private JsonObjects() {}

    public static JsonNode read(String text) throws MalformedRecordException {
        JsonNode root;
        try (JsonParser parser = JSON.createParser(text)) {
            root = JSON.readTree(parser);
            if (parser.nextToken() != null) {
                throw new MalformedRecordException("not valid JSON: a second value starts at column "
                        + parser.currentTokenLocation().getColumnNr());
            }
        } catch (JsonEOFException e) {
            throw new MalformedRecordException("not valid JSON: the line ends inside a value");
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            throw new MalformedRecordException("not valid JSON" + at + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedRecordException("not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedRecordException("the line is not a JSON object: " + root);
        }
        return root;
    }
}
