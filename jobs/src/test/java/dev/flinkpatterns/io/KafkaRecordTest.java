package dev.flinkpatterns.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KafkaRecordTest {

    @Test
    void utf8TextStaysTextAndOtherBytesStayRecoverable() {
        assertThat(KafkaRecord.text("{\"city\":\"Zürich\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo("{\"city\":\"Zürich\"}");
        byte[] binary = {(byte) 0xff, 0x00, (byte) 0xc3, 0x28};
        String text = KafkaRecord.text(binary);
        assertThat(text).isEqualTo("base64:/wDDKA==");
        assertThat(Base64.getDecoder().decode(text.substring(KafkaRecord.BASE64_PREFIX.length()))).isEqualTo(binary);
    }
}
