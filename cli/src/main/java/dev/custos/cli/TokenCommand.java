package dev.custos.cli;

import dev.custos.identity.Scope;
import dev.custos.identity.ServiceToken;
import dev.custos.identity.ServiceTokens;
import dev.custos.ledger.Receipt;
import dev.custos.server.Administration;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code custos token}: service tokens for integrations. Runs while no server holds the data
 * directory; each issue and revocation is recorded in the ledger with the operator's name.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = {"Manage the service tokens integrations use (Authorization: Bearer cst_...).",
        "Runs while no Custos server uses the data directory; every change is recorded in the ledger."},
    subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {
  private static final Pattern SHORT_DURATION = Pattern.compile("([1-9][0-9]{0,5})([dhm])");

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static Administration open(ConfigOptions options) throws Exception {
    return Administration.open(options.load(), InstantSource.system(), RandomGenerator.getDefault());
  }

  static String operator() {
    String user = System.getProperty("user.name", "unknown");
    return "os-user:" + user;
  }

  /** Ten years: a longer-lived credential is a mistake, and beyond it timestamps overflow. */
  private static final Duration MAX_LIFETIME = Duration.ofDays(3650);

  /** {@code 90d}, {@code 12h}, {@code 30m} or an ISO-8601 duration such as {@code P90D}; at most ten years. */
  static Duration parseLifetime(String text) {
    Duration d = parseDuration(text);
    if (d.compareTo(MAX_LIFETIME) > 0) {
      throw new UsageException("--expires-in must be at most 3650d (ten years), not '" + text + "'");
    }
    return d;
  }

  private static Duration parseDuration(String text) {
    Matcher m = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "d" -> Duration.ofDays(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofMinutes(n);
      };
    }
    try {
      Duration d = Duration.parse(text);
      if (d.isNegative() || d.isZero()) {
        throw new UsageException("--expires-in must be positive: " + text);
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new UsageException("--expires-in must look like 90d, 12h, 30m or P90D, not '" + text + "'");
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Issue a token. Its text is printed once, alone on standard output; Custos keeps only its hash.",
          "Scopes: ledger:append (POST /v1/ledger/entries), customers:write (PUT /v1/customers/{id}, custos import --url)."})
  static final class Create implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--name", required = true, paramLabel = "NAME",
        description = "Who holds it, e.g. wallet-service (letters, digits, . _ -; at most 63).")
    String name;

    @Option(names = "--scope", required = true, paramLabel = "SCOPE", description = "A scope to grant; repeat for several.")
    List<String> scopes;

    @Option(names = "--expires-in", paramLabel = "DURATION", description = "Lifetime: 90d, 12h, 30m or P90D (default: until revoked).")
    String expiresIn;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (!ServiceToken.validName(name)) {
        throw new UsageException("--name must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit");
      }
      Set<Scope> granted = EnumSet.noneOf(Scope.class);
      for (String s : scopes) {
        granted.add(Scope.parse(s).orElseThrow(() -> new UsageException("--scope: unknown scope '" + s
            + "'; known scopes: " + Scope.known())));
      }
      Optional<Duration> lifetime = Optional.ofNullable(expiresIn).map(TokenCommand::parseLifetime);
      try (Administration admin = open(options)) {
        Administration.Issued issued = admin.issueToken(name, granted, lifetime, operator());
        ServiceToken t = issued.token().token();
        PrintWriter err = spec.commandLine().getErr();
        err.println("issued service token " + t.id() + " for " + t.name() + ", scopes "
            + t.scopes().stream().map(Scope::wireName).sorted().toList() + ", "
            + t.expiresAt().map(e -> "expires " + e).orElse("no expiry") + "; recorded in the ledger at index "
            + issued.receipt().index());
        err.println("This is the only time the token is shown: put it in the integration's secret store.");
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.println(issued.token().revealText());
        out.flush();
      }
      return Main.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List service tokens (never their text).")
  static final class ListTokens implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Administration admin = open(options)) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-16s  %-20s  %-16s  %-8s  %-20s  %s%n", "ID", "NAME", "SCOPES", "STATE", "CREATED", "LAST USED");
        InstantSource clock = InstantSource.system();
        for (ServiceToken t : admin.tokens()) {
          String state = t.revokedAt().isPresent() ? "revoked" : t.activeAt(clock.instant()) ? "active" : "expired";
          out.printf("%-16s  %-20s  %-16s  %-8s  %-20s  %s%n", t.id(), t.name(),
              String.join(",", t.scopes().stream().map(Scope::wireName).sorted().toList()), state,
              t.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
              t.lastUsedAt().map(u -> u.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()).orElse("never"));
        }
        out.flush();
      }
      return Main.OK;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revoke a token at once; requests carrying it are refused from now on.")
  static final class Revoke implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Parameters(paramLabel = "ID", description = "The token id (the 16 characters after cst_).")
    String id;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      String tokenId = id.startsWith("cst_") && id.length() > 20 ? id.substring(4, 20) : id;
      if (!ServiceTokens.validId(tokenId)) {
        throw new UsageException("ID must be a token id: 16 characters of a-z and 2-7");
      }
      try (Administration admin = open(options)) {
        Optional<Receipt> receipt = admin.revokeToken(tokenId, operator());
        if (receipt.isEmpty()) {
          throw new UsageException("no active service token has id " + tokenId);
        }
        spec.commandLine().getOut().println("revoked " + tokenId + "; recorded in the ledger at index " + receipt.get().index());
        spec.commandLine().getOut().flush();
      }
      return Main.OK;
    }
  }
}
