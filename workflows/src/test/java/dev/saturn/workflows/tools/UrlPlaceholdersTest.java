package dev.saturn.workflows.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UrlPlaceholdersTest {

  @Test
  void givenSegmentsThatAServerReadsAsDots_whenChecked_itShouldSaySo() {
    assertThat(List.of(".", "..", "%2e", "%2E%2e", ".%2E", "%252e%252e", "%25252e.", "..;jsessionid=1", ".;x"))
        .allMatch(UrlPlaceholders::isDotSegment);
    assertThat(List.of("", "...", "a..", "..a", ".hidden", "%2e%2e%2e", "x;..", "%2", "%zz.."))
        .noneMatch(UrlPlaceholders::isDotSegment);
  }

  @Test
  void givenEncodedText_whenDecoded_itShouldDecodeEveryLayerAndKeepMalformedEscapes() {
    assertThat(UrlPlaceholders.decode("%252F")).isEqualTo("/");
    assertThat(UrlPlaceholders.decode("caf%C3%A9 %F0%9F%98%80 😀")).isEqualTo("café 😀 😀");
    assertThat(UrlPlaceholders.decode("100% %zz %4")).isEqualTo("100% %zz %4");
  }
}
