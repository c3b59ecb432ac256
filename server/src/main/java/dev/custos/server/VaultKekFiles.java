package dev.custos.server;

import dev.custos.vault.KekVersion;
import dev.custos.vault.KeyFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vault's key-encryption-key files: the primary {@code <keys>/vault-kek.key} and older versions
 * kept as {@code <keys>/vault-kek.<id>.key} (and any files {@code vault.previous-keks} names), so
 * that keysets wrapped by an older KEK still open while the background rotation rewraps them.
 *
 * <p>A KEK file is a key file (one base64 line of 32 bytes, mode 0600) whose id is given by a
 * comment line {@code # kek-id: <id>}; a file without that line is id 1 (the first development
 * key). Two files with the same id and different keys are refused: which of them wrapped a keyset
 * could not be told.
 */
final class VaultKekFiles {
  static final String PRIMARY = "vault-kek.key";
  private static final Pattern ID_LINE = Pattern.compile("#\\s*kek-id:\\s*([1-9][0-9]{0,8})\\s*");
  private static final Pattern PREVIOUS = Pattern.compile("vault-kek\\.([1-9][0-9]{0,8})\\.key");

  private VaultKekFiles() {}

  /**
   * The primary KEK and every older one, primary first, older ones by id descending.
   *
   * @throws StartupException naming the file when one is unreadable, malformed, readable by others,
   *     named with an id its content contradicts, or shares its id with a different key
   */
  static List<KekVersion> load(Path keysDir, List<Path> extra) throws StartupException {
    Path primaryFile = keysDir.resolve(PRIMARY);
    KekVersion primary = read(primaryFile, Optional.empty());
    Map<Integer, KekVersion> older = new TreeMap<>((a, b) -> Integer.compare(b, a));
    Map<Integer, Path> from = new LinkedHashMap<>();
    List<Path> files = new ArrayList<>(previousFiles(keysDir).values());
    files.addAll(extra);
    for (Path f : files) {
      Matcher m = PREVIOUS.matcher(f.getFileName().toString());
      KekVersion k = read(f, m.matches() && f.getParent() != null && f.getParent().equals(keysDir)
          ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty());
      if (k.id() == primary.id()) {
        if (!k.equals(primary)) {
          throw new StartupException("key-encryption key file " + f + " has id " + k.id() + ", the id of the primary "
              + primaryFile + ", but another key: remove one of them", null);
        }
        continue;
      }
      KekVersion seen = older.putIfAbsent(k.id(), k);
      if (seen != null && !seen.equals(k)) {
        throw new StartupException("key-encryption key files " + from.get(k.id()) + " and " + f + " both have id "
            + k.id() + " but different keys", null);
      }
      from.putIfAbsent(k.id(), f);
    }
    List<KekVersion> all = new ArrayList<>();
    all.add(primary);
    all.addAll(older.values());
    return all;
  }

  /** The older KEK files under {@code keysDir}, by id. */
  static Map<Integer, Path> previousFiles(Path keysDir) throws StartupException {
    Map<Integer, Path> out = new TreeMap<>();
    if (!Files.isDirectory(keysDir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(keysDir, "vault-kek.*.key")) {
      for (Path p : ds) {
        Matcher m = PREVIOUS.matcher(p.getFileName().toString());
        if (m.matches()) {
          out.put(Integer.parseInt(m.group(1)), p);
        }
      }
    } catch (IOException e) {
      throw new StartupException("cannot list " + keysDir + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Makes a new primary KEK: the current primary is kept as {@code vault-kek.<id>.key} (written and
   * synced first, so a crash in between leaves both files with the same key), then the new key is
   * written as {@code vault-kek.key} with the next id, mode 0600. Keys come from {@code random}.
   *
   * @return the new primary's id
   */
  static int rotate(Path keysDir, SecureRandom random) throws StartupException {
    List<KekVersion> current = load(keysDir, List.of());
    int oldId = current.get(0).id();
    int newId = current.stream().mapToInt(KekVersion::id).max().orElse(0) + 1;
    Path primaryFile = keysDir.resolve(PRIMARY);
    byte[] oldKey = null;
    byte[] newKey = new byte[32];
    try {
      oldKey = KeyFile.read(primaryFile);
      Path keep = keysDir.resolve("vault-kek." + oldId + ".key");
      DevKeys.writePrivate(keep, text("kept to unwrap data keysets not yet rewrapped under a newer key", oldId, oldKey));
      random.nextBytes(newKey);
      DevKeys.writePrivate(primaryFile, text("wraps each customer's data key", newId, newKey));
      return newId;
    } catch (IOException e) {
      throw new StartupException("cannot rotate the key-encryption key in " + keysDir + ": " + e.getMessage(), e);
    } finally {
      if (oldKey != null) {
        Arrays.fill(oldKey, (byte) 0);
      }
      Arrays.fill(newKey, (byte) 0);
    }
  }

  private static byte[] text(String purpose, int id, byte[] key) {
    return ("# Custos key-encryption key: " + purpose + ".\n# kek-id: " + id + "\n"
        + Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static KekVersion read(Path file, Optional<Integer> named) throws StartupException {
    byte[] key = null;
    try {
      key = KeyFile.read(file);
      int id = 1;
      for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
        Matcher m = ID_LINE.matcher(line.strip());
        if (m.matches()) {
          id = Integer.parseInt(m.group(1));
        }
      }
      if (named.isPresent() && named.get() != id) {
        throw new StartupException("key-encryption key file " + file + " is named for id " + named.get()
            + " but its '# kek-id:' line says " + id, null);
      }
      return new KekVersion(id, key);
    } catch (IOException e) {
      throw new StartupException("cannot read key-encryption key file " + file + ": " + e.getMessage(), e);
    } finally {
      if (key != null) {
        Arrays.fill(key, (byte) 0);
      }
    }
  }
}
