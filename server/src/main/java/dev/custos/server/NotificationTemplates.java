package dev.custos.server;

import dev.custos.incident.NotificationTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The notification templates by language: the built-in ones (English, German) overridden or extended
 * by the files {@code notification.<language>.txt} of the templates directory. Read and checked once
 * at start: a broken edited template refuses the start, naming the file and line.
 */
final class NotificationTemplates {
  private static final Pattern FILE = Pattern.compile("notification\\.([a-z]{2})\\.txt");
  private static final String[] BUILT_IN = {"en", "de"};

  private final Map<String, NotificationTemplate> byLanguage;
  private final String defaultLanguage;

  private NotificationTemplates(Map<String, NotificationTemplate> byLanguage, String defaultLanguage) {
    this.byLanguage = Map.copyOf(byLanguage);
    this.defaultLanguage = defaultLanguage;
  }

  /**
   * Loads the templates.
   *
   * @throws StartupException when an edited template is invalid or the default language has none
   */
  static NotificationTemplates load(Path dir, String defaultLanguage) throws StartupException {
    Map<String, NotificationTemplate> t = new TreeMap<>();
    for (String language : BUILT_IN) {
      String name = "templates/notification." + language + ".txt";
      try (InputStream in = NotificationTemplates.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException(name + " missing from the build");
        }
        t.put(language, NotificationTemplate.parse(language, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot read " + name + " from the build", e);
      }
    }
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "notification.*.txt")) {
        for (Path f : files) {
          Matcher m = FILE.matcher(f.getFileName().toString());
          if (!m.matches()) {
            continue;
          }
          try {
            t.put(m.group(1), NotificationTemplate.parse(m.group(1), Files.readString(f, StandardCharsets.UTF_8)));
          } catch (IllegalArgumentException e) {
            throw new StartupException("the notification template " + f + " is invalid: " + e.getMessage(), e);
          }
        }
      } catch (IOException e) {
        throw new StartupException("cannot read the notification templates in " + dir + ": " + e.getMessage(), e);
      }
    }
    if (!t.containsKey(defaultLanguage)) {
      throw new StartupException("notify.default-language is " + defaultLanguage + " but there is no template "
          + "notification." + defaultLanguage + ".txt in " + dir + " nor built in (en, de)", null);
    }
    return new NotificationTemplates(t, defaultLanguage);
  }

  /** The template in {@code language}, if there is one. */
  Optional<NotificationTemplate> in(String language) {
    return Optional.ofNullable(byLanguage.get(language));
  }

  /** The template of the default language. */
  NotificationTemplate fallback() {
    return byLanguage.get(defaultLanguage);
  }

  /** The languages there are templates for. */
  java.util.Set<String> languages() {
    return byLanguage.keySet();
  }
}
