package dev.saturn.app.runtime.temporal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.api.codec.CodecProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodecKeysTest {

  static final String A = EncryptionCodecTest.key(1);
  static final String B = EncryptionCodecTest.key(2);

  @TempDir Path dataDir;

  @Test
  void givenKeysSeparatedByCommasOrWhitespace_whenParsed_theFirstShouldBeActive() {
    CodecKeys keys = CodecKeys.parse(" new:" + B + ",\n old:" + A + " ", "test");

    assertThat(keys.ids()).containsExactly("new", "old");
    assertThat(keys.active().orElseThrow().id()).isEqualTo("new");
    assertThat(keys.toString()).doesNotContain(A, B);
  }

  @Test
  void givenBadEntries_whenParsed_itShouldNameTheProblemButNeverTheKey() {
    assertThatThrownBy(() -> CodecKeys.parse("k1:" + A + ",k2:" + A.substring(4), "SATURN_CODEC_KEYS"))
        .hasMessageContaining("SATURN_CODEC_KEYS").hasMessageContaining("'k2'").hasMessageContaining("32 bytes")
        .hasMessageNotContaining(A.substring(4));
    assertThatThrownBy(() -> CodecKeys.parse(A, "SATURN_CODEC_KEYS")).hasMessageContaining("entry 1 must be id:base64key")
        .hasMessageNotContaining(A);
    assertThatThrownBy(() -> CodecKeys.parse("k1:not*base64", "x")).hasMessageContaining("not base64");
    assertThatThrownBy(() -> CodecKeys.parse("k1:" + A + ",k1:" + B, "x")).hasMessageContaining("'k1' is used twice");
  }

  @Test
  void givenNoConfiguredKeys_whenLoadedByAProcessThatRunsTemporal_itShouldGenerateOneKeyIntoTheDataDirOnce()
      throws Exception {
    CodecKeys first = CodecKeys.load(new CodecProperties("", List.of()), dataDir, true);
    CodecKeys again = CodecKeys.load(new CodecProperties("", List.of()), dataDir, true);

    Path file = dataDir.resolve(CodecKeys.FILE_NAME);
    assertThat(first.ids()).hasSize(1).first().asString().startsWith("local-");
    assertThat(again.ids()).isEqualTo(first.ids());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void givenNoConfiguredKeys_whenLoadedWithoutLeaveToGenerate_itShouldReadAnExistingFileOrHaveNone() throws Exception {
    assertThat(CodecKeys.load(new CodecProperties("", List.of()), dataDir, false).isEmpty()).isTrue();
    assertThat(dataDir.resolve(CodecKeys.FILE_NAME)).doesNotExist();

    Files.writeString(dataDir.resolve(CodecKeys.FILE_NAME), "two:" + B + "\none:" + A + "\n");
    assertThat(CodecKeys.load(new CodecProperties("", List.of()), dataDir, false).ids()).containsExactly("two", "one");
  }

  @Test
  void givenConfiguredKeys_whenLoaded_theyShouldWinOverTheFile() throws Exception {
    Files.writeString(dataDir.resolve(CodecKeys.FILE_NAME), "file:" + A);

    assertThat(CodecKeys.load(new CodecProperties("set:" + B, List.of()), dataDir, true).ids()).containsExactly("set");
    assertThat(new CodecProperties("set:" + B, List.of()).toString()).doesNotContain(B);
  }
}
