package dev.custos.identity;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A password as typed by a member of staff, held as characters that can be wiped. Use it in a
 * try-with-resources block: {@link #close()} overwrites the characters, and any use afterwards is
 * a bug ({@link IllegalStateException}).
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>{@link #toString()} never shows the characters; there is no {@code equals} (compare
 *       passwords only through {@link PasswordHasher#verify}).</li>
 *   <li>{@link #copyOf} copies the caller's array, so the caller can (and should) wipe its own
 *       array at once; {@link #close()} wipes the copy.</li>
 *   <li>The UTF-8 bytes handed to Argon2 are wiped as soon as the hash is computed. One copy can
 *       outlive {@link #close()}: when the text is not already in Unicode NFKC form, the JDK's
 *       normaliser returns an immutable {@link String}, which only the garbage collector reclaims.
 *       ASCII passwords are always in NFKC form and never take that path.</li>
 * </ul>
 */
public final class Password implements AutoCloseable {
  /**
   * Longer input is refused before any hashing, so a request cannot make Argon2's pre-hash chew
   * through megabytes. New passwords are bounded much lower by {@link PasswordPolicy}.
   */
  public static final int MAX_INPUT_CHARS = 1024;

  private final char[] chars;
  private boolean wiped;

  private Password(char[] chars) {
    this.chars = chars;
  }

  /**
   * A password holding a copy of {@code chars}.
   *
   * @throws IllegalArgumentException when there are more than {@link #MAX_INPUT_CHARS} characters
   */
  public static Password copyOf(char[] chars) {
    Objects.requireNonNull(chars, "chars");
    if (chars.length > MAX_INPUT_CHARS) {
      throw new IllegalArgumentException("a password is at most " + MAX_INPUT_CHARS + " characters");
    }
    return new Password(chars.clone());
  }

  /** The number of Unicode code points after NFKC normalisation (what {@link PasswordPolicy} counts). */
  public int length() {
    CharSequence text = normalized();
    return Character.codePointCount(text, 0, text.length());
  }

  /** Whether {@link #close()} has wiped this password. */
  public boolean isWiped() {
    return wiped;
  }

  /** Overwrites the characters; idempotent. */
  @Override
  public void close() {
    Arrays.fill(chars, '\0');
    wiped = true;
  }

  @Override
  public String toString() {
    return "Password[***]";
  }

  /**
   * The NFKC-normalised text (NIST SP 800-63B §5.1.1.2), so that the same password typed on
   * another keyboard or operating system gives the same bytes. Usually a view of the characters
   * themselves; see the class comment for the exception.
   */
  CharSequence normalized() {
    checkNotWiped();
    CharBuffer view = CharBuffer.wrap(chars).asReadOnlyBuffer();
    return Normalizer.isNormalized(view, Normalizer.Form.NFKC) ? view : Normalizer.normalize(view, Normalizer.Form.NFKC);
  }

  /** UTF-8 of the normalised text, in a fresh array the caller MUST wipe. Unpaired surrogates become '?'. */
  byte[] utf8() {
    CharSequence text = normalized();
    CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    // Sized for the worst case up front: a growing buffer would leave unwiped copies behind.
    byte[] scratch = new byte[Math.multiplyExact(text.length(), (int) Math.ceil(encoder.maxBytesPerChar()))];
    ByteBuffer out = ByteBuffer.wrap(scratch);
    CoderResult result = encoder.encode(CharBuffer.wrap(text), out, true);
    if (!result.isUnderflow() || !encoder.flush(out).isUnderflow()) {
      Arrays.fill(scratch, (byte) 0);
      throw new IllegalStateException("UTF-8 encoding overflowed a worst-case buffer: " + result);
    }
    byte[] bytes = Arrays.copyOf(scratch, out.position());
    Arrays.fill(scratch, (byte) 0);
    return bytes;
  }

  private void checkNotWiped() {
    if (wiped) {
      throw new IllegalStateException("this password has been wiped (closed) and cannot be used any more");
    }
  }
}
