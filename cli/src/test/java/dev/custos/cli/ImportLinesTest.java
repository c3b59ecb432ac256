package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading an import file: numbers, offsets, terminators, long lines, resuming at an offset. */
class ImportLinesTest {
  @TempDir
  Path temp;

  @Test
  void lines_carryTheirNumberAndTheOffsetAfterThem_withCrLfAndNoFinalNewline() throws Exception {
    Path file = write("a\r\n\nbcd\nlast".getBytes(StandardCharsets.UTF_8));
    List<ImportLines.Line> lines = readAll(file, 0, 0);
    assertThat(lines).hasSize(4);
    assertThat(text(lines.get(0))).isEqualTo("a");
    assertThat(lines.get(0).end()).isEqualTo(3);
    assertThat(((ImportLines.Text) lines.get(1)).blank()).isTrue();
    assertThat(text(lines.get(2))).isEqualTo("bcd");
    assertThat(lines.get(2).end()).isEqualTo(8);
    assertThat(text(lines.get(3))).isEqualTo("last");
    assertThat(lines.get(3).number()).isEqualTo(4);
    assertThat(lines.get(3).end()).isEqualTo(Files.size(file));
  }

  @Test
  void reading_fromAnOffset_continuesWithTheNextLineNumber() throws Exception {
    Path file = write("one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8));
    List<ImportLines.Line> all = readAll(file, 0, 0);
    List<ImportLines.Line> rest = readAll(file, all.get(0).end(), 1);
    assertThat(rest).hasSize(2);
    assertThat(rest.get(0).number()).isEqualTo(2);
    assertThat(text(rest.get(0))).isEqualTo("two");
    assertThat(rest.get(1).end()).isEqualTo(all.get(2).end());
  }

  @Test
  void aLineLongerThanTheLimit_isSkipped_andReadingGoesOn() throws Exception {
    byte[] longLine = new byte[ImportLines.MAX_LINE + 10];
    java.util.Arrays.fill(longLine, (byte) 'x');
    byte[] content = concat("first\n".getBytes(StandardCharsets.UTF_8), longLine, "\nafter\n".getBytes(StandardCharsets.UTF_8));
    List<ImportLines.Line> lines = readAll(write(content), 0, 0);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).isInstanceOf(ImportLines.TooLong.class);
    assertThat(lines.get(1).number()).isEqualTo(2);
    assertThat(text(lines.get(2))).isEqualTo("after");
    assertThat(lines.get(2).number()).isEqualTo(3);
  }

  @Test
  void aByteOrderMark_onTheFirstLine_isDropped() throws Exception {
    byte[] content = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "{}\n".getBytes(StandardCharsets.UTF_8));
    assertThat(text(readAll(write(content), 0, 0).get(0))).isEqualTo("{}");
  }

  @Test
  void anEmptyFile_hasNoLines() throws Exception {
    assertThat(readAll(write(new byte[0]), 0, 0)).isEmpty();
  }

  private Path write(byte[] content) throws Exception {
    Path file = temp.resolve("f.jsonl");
    Files.write(file, content);
    return file;
  }

  private static List<ImportLines.Line> readAll(Path file, long offset, long before) throws Exception {
    List<ImportLines.Line> out = new ArrayList<>();
    try (ImportLines lines = ImportLines.open(file, offset, before)) {
      for (ImportLines.Line l = lines.next(); l != null; l = lines.next()) {
        out.add(l);
      }
    }
    return out;
  }

  private static String text(ImportLines.Line line) {
    return new String(((ImportLines.Text) line).bytes(), StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
