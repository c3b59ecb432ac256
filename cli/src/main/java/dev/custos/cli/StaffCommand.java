package dev.custos.cli;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.Password;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffAdmin;
import dev.custos.server.Administration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code custos staff}: staff accounts for administrators, with the same rules as the console (a
 * second factor at creation; restoring needs a security analyst and a reason). Runs while no server
 * holds the data directory; while one runs, security uses {@code POST /v1/staff/{id}/suspend}.
 * Every change is recorded in the ledger with the operator's name.
 */
@Command(name = "staff", mixinStandardHelpOptions = true,
    description = {"Manage staff accounts: add, list, suspend, restore, reset-factors, shift.",
        "Runs while no Custos server uses the data directory (while one runs, use the console or POST /v1/staff/{id}/suspend).",
        "Every change is recorded in the ledger."},
    subcommands = {StaffCommand.Add.class, StaffCommand.ListStaff.class, StaffCommand.Suspend.class,
        StaffCommand.Restore.class, StaffCommand.ResetFactors.class, StaffCommand.SetShift.class})
final class StaffCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static StaffId staffId(String text) {
    try {
      return StaffId.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException("ID: " + e.getMessage());
    }
  }

  /** The value of a done outcome; exit 2 with the rule's message otherwise. */
  static <T> T done(StaffAdmin.Outcome<T> outcome) {
    return switch (outcome) {
      case StaffAdmin.Outcome.Done<T> d -> d.value();
      case StaffAdmin.Outcome.NotFound<T> n -> throw new UsageException("no staff account " + n.id());
      case StaffAdmin.Outcome.Refused<T> r -> throw new UsageException("--" + r.field() + ": " + r.message());
    };
  }

  static void printEnrolment(PrintWriter out, PrintWriter err, StaffAdmin.Enrolment e, Optional<String> password) {
    err.println("Hand these to " + e.account().id() + " in person or through a channel you trust; they are shown only now.");
    err.flush();
    password.ifPresent(p -> out.println("password: " + p));
    out.println("totp: " + e.totp().revealText());
    out.println("recovery codes: " + String.join(" ", e.recoveryCodes().revealCodes()));
    out.flush();
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Add a local staff account with a password, an authenticator (otpauth URI) and recovery codes.",
          "Without --password-file or --password-stdin a random password is generated and printed once."})
  static final class Add implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Parameters(paramLabel = "ID", description = "The account name they log in with (letters, digits, . _ : -).")
    String id;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Their display name.")
    String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE",
        description = "A role: support-l1, support-l2, kyc-reviewer, fraud-analyst, security-analyst, approver, admin, auditor; repeat for several.")
    List<String> roles;

    @Option(names = "--team", paramLabel = "TEAM", description = "Their team (peer group for detection and separation of duties).")
    String team;

    @Option(names = "--password-file", paramLabel = "FILE", description = "Read the initial password from the first line of FILE.")
    Path passwordFile;

    @Option(names = "--password-stdin", description = "Read the initial password from the first line of standard input.")
    boolean passwordStdin;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      StaffId staff = staffId(id);
      Set<Role> granted = EnumSet.noneOf(Role.class);
      for (String r : roles) {
        try {
          granted.add(Role.parse(r));
        } catch (IllegalArgumentException e) {
          throw new UsageException("--role: " + e.getMessage());
        }
      }
      StaffAccount account;
      try {
        account = StaffAccount.create(staff, name, granted, Optional.ofNullable(team), StaffAccount.Origin.LOCAL,
            Instant.now());
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      if (passwordFile != null && passwordStdin) {
        throw new UsageException("give at most one of --password-file and --password-stdin");
      }
      char[] chars;
      Optional<String> generated = Optional.empty();
      if (passwordFile != null) {
        if (!Files.isReadable(passwordFile)) {
          throw new UsageException("--password-file: cannot read " + passwordFile);
        }
        chars = firstLine(Files.newBufferedReader(passwordFile, StandardCharsets.UTF_8));
      } else if (passwordStdin) {
        chars = firstLine(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
      } else {
        String p = randomPassword(new SecureRandom());
        generated = Optional.of(p);
        chars = p.toCharArray();
      }
      try (Password password = Password.copyOf(chars); Administration admin = TokenCommand.open(options)) {
        StaffAdmin.Enrolment e = done(admin.staff().createLocal(account, password, TokenCommand.operator()));
        spec.commandLine().getErr().println("added " + staff + " (" + String.join(",",
            granted.stream().map(Role::wireName).sorted().toList()) + "); recorded in the ledger");
        printEnrolment(spec.commandLine().getOut(), spec.commandLine().getErr(), e, generated);
      } finally {
        Arrays.fill(chars, '\0');
      }
      return Main.OK;
    }

    private static char[] firstLine(BufferedReader reader) throws java.io.IOException {
      try (reader) {
        String line = reader.readLine();
        if (line == null || line.isEmpty()) {
          throw new UsageException("the password input is empty");
        }
        return line.toCharArray();
      }
    }

    /** 20 characters from a 54-symbol alphabet without look-alikes: about 115 bits. */
    static String randomPassword(SecureRandom random) {
      String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
      StringBuilder sb = new StringBuilder(24);
      for (int i = 0; i < 20; i++) {
        if (i > 0 && i % 5 == 0) {
          sb.append('-');
        }
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      return sb.toString();
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List staff accounts.")
  static final class ListStaff implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Administration admin = TokenCommand.open(options)) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-20s  %-24s  %-20s  %-10s  %-6s  %-10s  %-20s  %s%n", "ID", "NAME", "ROLES", "TEAM", "ORIGIN", "STATUS",
            "CREATED", "SHIFT");
        for (StaffAccount a : admin.staffDirectory().list()) {
          out.printf("%-20s  %-24s  %-20s  %-10s  %-6s  %-10s  %-20s  %s%n", a.id(), a.displayName(),
              String.join(",", a.roles().stream().map(Role::wireName).sorted().toList()), a.team().orElse("-"),
              a.origin().name().toLowerCase(java.util.Locale.ROOT), a.status().name().toLowerCase(java.util.Locale.ROOT),
              a.createdAt().truncatedTo(ChronoUnit.SECONDS), a.shift().map(Object::toString).orElse("-"));
        }
        out.flush();
      }
      return Main.OK;
    }
  }

  @Command(name = "shift", mixinStandardHelpOptions = true,
      description = {"Set when a member of staff works, e.g. 'mon-fri 09:00-17:00 Europe/Berlin' (overnight: "
          + "'mon-fri 22:00-06:00 UTC'), or clear it with --none. Detection flags activity outside it."})
  static final class SetShift implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Parameters(index = "0", paramLabel = "ID", description = "The account.")
    String id;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SHIFT",
        description = "<days> <HH:mm>-<HH:mm> <zone>; days as mon-fri, mon,wed,fri or daily.")
    String shift;

    @Option(names = "--none", description = "Clear the shift.")
    boolean none;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      StaffId staff = staffId(id);
      if (none == (shift != null)) {
        throw new UsageException("give a SHIFT or --none, not both and not neither");
      }
      java.util.Optional<dev.custos.access.Shift> parsed;
      try {
        parsed = none ? java.util.Optional.empty() : java.util.Optional.of(dev.custos.access.Shift.parse(shift));
      } catch (IllegalArgumentException e) {
        throw new UsageException("SHIFT: " + e.getMessage());
      }
      try (Administration admin = TokenCommand.open(options)) {
        StaffAccount a = done(admin.staff().setShift(staff, parsed, TokenCommand.operator()));
        spec.commandLine().getOut().println(a.shift().map(s -> "shift of " + staff + ": " + s)
            .orElse("shift of " + staff + " cleared"));
        spec.commandLine().getOut().flush();
      }
      return Main.OK;
    }
  }

  @Command(name = "suspend", mixinStandardHelpOptions = true,
      description = "Contain a member of staff: suspended, every session revoked, new logins refused.")
  static final class Suspend implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Parameters(paramLabel = "ID", description = "The account.")
    String id;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (recorded in the ledger).")
    String reason;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      StaffId staff = staffId(id);
      try (Administration admin = TokenCommand.open(options)) {
        int revoked = done(admin.staff().suspend(staff, reason, TokenCommand.operator()));
        spec.commandLine().getOut().println("suspended " + staff + "; " + revoked + " session(s) revoked");
        spec.commandLine().getOut().flush();
      }
      return Main.OK;
    }
  }

  @Command(name = "restore", mixinStandardHelpOptions = true,
      description = "Lift a containment: needs a reason and the security analyst who decided it (not the person restored).")
  static final class Restore implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Parameters(paramLabel = "ID", description = "The account.")
    String id;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (recorded in the ledger).")
    String reason;

    @Option(names = "--by", required = true, paramLabel = "ANALYST", description = "The security analyst who decided it.")
    String by;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      StaffId staff = staffId(id);
      StaffId analyst;
      try {
        analyst = StaffId.parse(by);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--by: " + e.getMessage());
      }
      try (Administration admin = TokenCommand.open(options)) {
        done(admin.staff().restore(staff, reason, analyst, TokenCommand.operator()));
        spec.commandLine().getOut().println("restored " + staff + " (decided by " + analyst + ")");
        spec.commandLine().getOut().flush();
      }
      return Main.OK;
    }
  }

  @Command(name = "reset-factors", mixinStandardHelpOptions = true,
      description = {"Remove every second factor of a local account and revoke its sessions,",
          "then print a new authenticator (otpauth URI) and recovery codes once."})
  static final class ResetFactors implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Parameters(paramLabel = "ID", description = "The account.")
    String id;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (recorded in the ledger).")
    String reason;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      StaffId staff = staffId(id);
      try (Administration admin = TokenCommand.open(options)) {
        StaffAdmin.Enrolment e = done(admin.staff().resetFactors(staff, reason, TokenCommand.operator()));
        spec.commandLine().getErr().println("reset the factors of " + staff + "; its sessions are revoked");
        printEnrolment(spec.commandLine().getOut(), spec.commandLine().getErr(), e, Optional.empty());
      }
      return Main.OK;
    }
  }
}
