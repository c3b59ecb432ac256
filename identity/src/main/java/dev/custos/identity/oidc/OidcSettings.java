package dev.custos.identity.oidc;

import dev.custos.access.Role;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The configuration of staff single sign-on through one OpenID Connect provider: who the provider
 * is, how Custos is registered there, what the ID token must prove (multi-factor authentication)
 * and how its claims become a {@link dev.custos.access.StaffId} and {@link Role}s. Built once with
 * {@link #builder()}, validated in {@link Builder#build()}, immutable afterwards.
 *
 * <p>Every error names the configuration key it concerns ({@code oidc.issuer},
 * {@code oidc.client-id}, ...; see docs/design/oidc.md), so the server can report bad
 * configuration without a stack trace.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>The client secret is never in {@link #toString()}; it leaves only through a
 *       package-private accessor used for token-endpoint authentication.</li>
 *   <li>Multi-factor authentication is required unless switched off explicitly
 *       ({@link Builder#requireMfa(boolean)}); with it on, at least one acceptable {@code amr} or
 *       {@code acr} value must be configured.</li>
 *   <li>The issuer, the redirect URI (and, at discovery, every provider endpoint) must be
 *       {@code https}, except on a loopback host ({@code localhost}, {@code 127.0.0.1},
 *       {@code [::1]}) for development and tests.</li>
 *   <li>Nothing is clamped silently: an out-of-range value is refused.</li>
 * </ul>
 */
public final class OidcSettings {
  /** Scopes asked for unless configured: the ID token's subject, profile and e-mail claims. */
  public static final List<String> DEFAULT_SCOPES = List.of("openid", "profile", "email");
  /**
   * {@code amr} values (RFC 8176) accepted as proof of multi-factor authentication unless
   * configured: only {@code mfa}, the one value that states several factors were used. Values
   * such as {@code otp}, {@code hwk} or {@code swk} name one factor each and may be the only one.
   */
  public static final Set<String> DEFAULT_REQUIRED_AMR = Set.of("mfa");
  /**
   * {@code acr} values accepted as proof of multi-factor authentication unless configured: the
   * OpenID Extended Authentication Profile's phishing-resistant levels ({@code phr}, {@code phrh})
   * and the PAPE multi-factor policy URI.
   */
  public static final Set<String> DEFAULT_REQUIRED_ACR =
      Set.of("phr", "phrh", "http://schemas.openid.net/pape/policies/2007/06/multi-factor");
  public static final String DEFAULT_GROUPS_CLAIM = "groups";
  public static final String DEFAULT_USERNAME_CLAIM = "preferred_username";
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);

  private final URI issuer;
  private final String clientId;
  private final String clientSecret;
  private final URI redirectUri;
  private final List<String> scopes;
  private final boolean mfaRequired;
  private final Set<String> requiredAmr;
  private final Set<String> requiredAcr;
  private final String groupsClaim;
  private final String usernameClaim;
  private final Map<String, Set<Role>> groupRoles;
  private final Duration clockSkew;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  private OidcSettings(Builder b) {
    this.issuer = b.issuer;
    this.clientId = b.clientId;
    this.clientSecret = b.clientSecret;
    this.redirectUri = b.redirectUri;
    this.scopes = List.copyOf(b.scopes);
    this.mfaRequired = b.mfaRequired;
    this.requiredAmr = Set.copyOf(b.requiredAmr);
    this.requiredAcr = Set.copyOf(b.requiredAcr);
    this.groupsClaim = b.groupsClaim;
    this.usernameClaim = b.usernameClaim;
    Map<String, Set<Role>> roles = new LinkedHashMap<>();
    b.groupRoles.forEach((group, set) -> roles.put(group, Set.copyOf(set)));
    this.groupRoles = Map.copyOf(roles);
    this.clockSkew = b.clockSkew;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
  }

  /** A builder with the defaults above; issuer, client id, client secret, redirect URI and group roles have none. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses the {@code oidc.group-roles} setting: comma-separated {@code group=role} entries, for
   * example {@code support-agents=support-l1,security-team=security-analyst}. A group listed more than once gets
   * every role it is listed with. White space around names is ignored. A group name containing
   * {@code ,} {@code =} or {@code "} (an LDAP DN, say) is written in double quotes, with {@code ""}
   * for a quote inside: {@code "cn=Support,ou=Groups"=support-l1}. Roles are wire names
   * ({@link Role#wireName()}).
   *
   * @throws IllegalArgumentException naming {@code oidc.group-roles}, the entry's position and the rule broken
   */
  public static Map<String, Set<Role>> parseGroupRoles(String text) {
    return GroupRolesSyntax.parse(text);
  }

  public URI issuer() {
    return issuer;
  }

  public String clientId() {
    return clientId;
  }

  /** The client secret, for token-endpoint authentication only; MUST NOT be logged. */
  String clientSecret() {
    return clientSecret;
  }

  public URI redirectUri() {
    return redirectUri;
  }

  public List<String> scopes() {
    return scopes;
  }

  public boolean mfaRequired() {
    return mfaRequired;
  }

  public Set<String> requiredAmr() {
    return requiredAmr;
  }

  public Set<String> requiredAcr() {
    return requiredAcr;
  }

  public String groupsClaim() {
    return groupsClaim;
  }

  public String usernameClaim() {
    return usernameClaim;
  }

  public Map<String, Set<Role>> groupRoles() {
    return groupRoles;
  }

  public Duration clockSkew() {
    return clockSkew;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration readTimeout() {
    return readTimeout;
  }

  @Override
  public String toString() {
    return "OidcSettings[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret=***, redirectUri=" + redirectUri
        + ", scopes=" + scopes + ", mfaRequired=" + mfaRequired + ", requiredAmr=" + requiredAmr
        + ", requiredAcr=" + requiredAcr + ", groupsClaim=" + groupsClaim + ", usernameClaim=" + usernameClaim
        + ", groupRoles=" + groupRoles + ", clockSkew=" + clockSkew + ", connectTimeout=" + connectTimeout
        + ", readTimeout=" + readTimeout + "]";
  }

  /** Whether {@code uri} is https, or http on a loopback host; the one rule for every OIDC URL Custos talks to or redirects to. */
  static boolean secureOrLoopback(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return true;
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    return scheme.equals("http") && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
  }

  /**
   * Collects settings; each setter checks its own value and {@link #build()} the cross-field rules.
   * Setters throw {@link IllegalArgumentException} naming the configuration key.
   */
  public static final class Builder {
    private URI issuer;
    private String clientId;
    private String clientSecret;
    private URI redirectUri;
    private List<String> scopes = DEFAULT_SCOPES;
    private boolean mfaRequired = true;
    private Set<String> requiredAmr = DEFAULT_REQUIRED_AMR;
    private Set<String> requiredAcr = DEFAULT_REQUIRED_ACR;
    private String groupsClaim = DEFAULT_GROUPS_CLAIM;
    private String usernameClaim = DEFAULT_USERNAME_CLAIM;
    private Map<String, Set<Role>> groupRoles = Map.of();
    private Duration clockSkew = DEFAULT_CLOCK_SKEW;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;

    private Builder() {}

    /** {@code oidc.issuer}: the provider's issuer identifier, exactly as its metadata states it. */
    public Builder issuer(URI issuer) {
      require(issuer != null, "oidc.issuer must be set");
      require(issuer.isAbsolute() && issuer.getHost() != null, "oidc.issuer must be an absolute URL with a host");
      require(secureOrLoopback(issuer), "oidc.issuer must use https (http only for localhost)");
      require(issuer.getRawQuery() == null && issuer.getRawFragment() == null,
          "oidc.issuer must have no query or fragment (OpenID Connect Discovery 1.0 §2)");
      require(issuer.getRawUserInfo() == null, "oidc.issuer must not contain user information");
      this.issuer = issuer;
      return this;
    }

    /** {@code oidc.client-id}: Custos's client identifier at the provider. */
    public Builder clientId(String clientId) {
      require(clientId != null && !clientId.isBlank(), "oidc.client-id must not be empty");
      require(clientId.length() <= 255 && clientId.chars().allMatch(c -> c >= 0x20 && c < 0x7f),
          "oidc.client-id must be at most 255 printable ASCII characters");
      this.clientId = clientId;
      return this;
    }

    /** {@code oidc.client-secret}: Custos's client secret at the provider (confidential client). */
    public Builder clientSecret(String clientSecret) {
      require(clientSecret != null && !clientSecret.isEmpty(), "oidc.client-secret must not be empty");
      require(clientSecret.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "oidc.client-secret must be printable ASCII");
      this.clientSecret = clientSecret;
      return this;
    }

    /** {@code oidc.redirect-uri}: where the provider sends the browser back; registered at the provider. */
    public Builder redirectUri(URI redirectUri) {
      require(redirectUri != null, "oidc.redirect-uri must be set");
      require(redirectUri.isAbsolute() && redirectUri.getHost() != null, "oidc.redirect-uri must be an absolute URL with a host");
      require(secureOrLoopback(redirectUri), "oidc.redirect-uri must use https (http only for localhost)");
      require(redirectUri.getRawFragment() == null, "oidc.redirect-uri must have no fragment (RFC 6749 §3.1.2)");
      this.redirectUri = redirectUri;
      return this;
    }

    /** {@code oidc.scopes}: the scopes to ask for; must include {@code openid}. */
    public Builder scopes(Collection<String> scopes) {
      require(scopes != null && !scopes.isEmpty(), "oidc.scopes must not be empty");
      List<String> checked = new ArrayList<>(new LinkedHashSet<>(scopes));
      for (String s : checked) {
        // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
        require(s != null && !s.isEmpty() && s.chars().allMatch(c -> c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e)),
            "oidc.scopes entries must be RFC 6749 scope tokens (no spaces, quotes or backslashes)");
      }
      require(checked.contains("openid"), "oidc.scopes must include openid");
      this.scopes = checked;
      return this;
    }

    /** {@code oidc.require-mfa}: whether the ID token must prove multi-factor authentication (default true). */
    public Builder requireMfa(boolean required) {
      this.mfaRequired = required;
      return this;
    }

    /** {@code oidc.required-amr}: {@code amr} values of which any one proves multi-factor authentication. */
    public Builder requiredAmr(Collection<String> values) {
      this.requiredAmr = claimValues(values, "oidc.required-amr");
      return this;
    }

    /** {@code oidc.required-acr}: {@code acr} values of which any one proves multi-factor authentication. */
    public Builder requiredAcr(Collection<String> values) {
      this.requiredAcr = claimValues(values, "oidc.required-acr");
      return this;
    }

    /** {@code oidc.groups-claim}: the ID token claim listing the person's groups (default {@code groups}). */
    public Builder groupsClaim(String claim) {
      this.groupsClaim = claimName(claim, "oidc.groups-claim");
      return this;
    }

    /** {@code oidc.username-claim}: the ID token claim holding the staff id (default {@code preferred_username}). */
    public Builder usernameClaim(String claim) {
      this.usernameClaim = claimName(claim, "oidc.username-claim");
      return this;
    }

    /** {@code oidc.group-roles}: which provider groups grant which roles; see {@link OidcSettings#parseGroupRoles}. */
    public Builder groupRoles(Map<String, Set<Role>> groupRoles) {
      require(groupRoles != null && !groupRoles.isEmpty(), "oidc.group-roles must map at least one group to a role");
      Map<String, Set<Role>> checked = new LinkedHashMap<>();
      groupRoles.forEach((group, roles) -> {
        require(group != null && !group.isBlank(), "oidc.group-roles has an empty group name");
        require(roles != null && !roles.isEmpty() && roles.stream().noneMatch(Objects::isNull), "oidc.group-roles gives group " + group + " no role");
        checked.put(group, EnumSet.copyOf(roles));
      });
      this.groupRoles = checked;
      return this;
    }

    /** {@code oidc.clock-skew}: tolerance when checking token times, 0 to 5 minutes (default 60 s). */
    public Builder clockSkew(Duration skew) {
      require(skew != null && !skew.isNegative() && skew.compareTo(MAX_CLOCK_SKEW) <= 0,
          "oidc.clock-skew must be 0 to " + MAX_CLOCK_SKEW.toSeconds() + " s");
      require(skew.getNano() == 0, "oidc.clock-skew must be whole seconds");
      this.clockSkew = skew;
      return this;
    }

    /** {@code oidc.connect-timeout}: to reach the provider, 1 ms to 2 minutes (default 5 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout(timeout, "oidc.connect-timeout");
      return this;
    }

    /** {@code oidc.read-timeout}: for the provider's answer, 1 ms to 2 minutes (default 10 s). */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = timeout(timeout, "oidc.read-timeout");
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException when a required key is missing, or MFA is required with no acceptable value
     */
    public OidcSettings build() {
      require(issuer != null, "oidc.issuer must be set");
      require(clientId != null, "oidc.client-id must be set");
      require(clientSecret != null, "oidc.client-secret must be set");
      require(redirectUri != null, "oidc.redirect-uri must be set");
      require(!groupRoles.isEmpty(), "oidc.group-roles must map at least one group to a role");
      require(!mfaRequired || !requiredAmr.isEmpty() || !requiredAcr.isEmpty(),
          "oidc.required-amr and oidc.required-acr are both empty while oidc.require-mfa is true: no login could succeed");
      return new OidcSettings(this);
    }

    private static Set<String> claimValues(Collection<String> values, String key) {
      require(values != null, key + " must be set (it may be empty)");
      Set<String> checked = new LinkedHashSet<>();
      for (String v : values) {
        require(v != null && !v.isBlank() && v.strip().equals(v), key + " entries must be non-empty, without surrounding white space");
        checked.add(v);
      }
      return checked;
    }

    private static String claimName(String claim, String key) {
      require(claim != null && !claim.isBlank() && claim.strip().equals(claim) && claim.length() <= 255,
          key + " must be a claim name (1 to 255 characters, no surrounding white space)");
      return claim;
    }

    private static Duration timeout(Duration timeout, String key) {
      require(timeout != null && timeout.compareTo(Duration.ofMillis(1)) >= 0 && timeout.compareTo(MAX_TIMEOUT) <= 0,
          key + " must be 1 ms to " + MAX_TIMEOUT.toSeconds() + " s");
      return timeout;
    }
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The {@code oidc.group-roles} grammar. */
  private static final class GroupRolesSyntax {
    private static final String KEY = "oidc.group-roles";

    static Map<String, Set<Role>> parse(String text) {
      require(text != null && !text.isBlank(), KEY + " is empty: give at least one group=role entry");
      Map<String, Set<Role>> result = new LinkedHashMap<>();
      int pos = 0;
      int entry = 1;
      int n = text.length();
      while (true) {
        pos = skipSpace(text, pos);
        String group;
        if (pos < n && text.charAt(pos) == '"') {
          StringBuilder quoted = new StringBuilder();
          pos++;
          boolean closed = false;
          while (pos < n) {
            char c = text.charAt(pos++);
            if (c == '"') {
              if (pos < n && text.charAt(pos) == '"') {
                quoted.append('"');
                pos++;
              } else {
                closed = true;
                break;
              }
            } else {
              quoted.append(c);
            }
          }
          require(closed, KEY + " entry " + entry + ": the quoted group name is not closed");
          group = quoted.toString();
          pos = skipSpace(text, pos);
        } else {
          int start = pos;
          while (pos < n && ",=\"".indexOf(text.charAt(pos)) < 0) {
            pos++;
          }
          group = text.substring(start, pos).strip();
        }
        require(!group.isBlank(), KEY + " entry " + entry + ": expected <group>=<role>, the group name is empty");
        require(pos < n && text.charAt(pos) == '=', KEY + " entry " + entry + " (" + group + "): expected <group>=<role>"
            + (pos < n && text.charAt(pos) == '"' ? "; quote the whole group name" : ""));
        pos++;
        int start = pos;
        while (pos < n && text.charAt(pos) != ',') {
          pos++;
        }
        String roleText = text.substring(start, pos).strip();
        require(!roleText.isEmpty(), KEY + " entry " + entry + " (" + group + "): the role is empty");
        Role role;
        try {
          role = Role.parse(roleText);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(KEY + " entry " + entry + " (" + group + "): " + e.getMessage(), e);
        }
        result.computeIfAbsent(group, g -> EnumSet.noneOf(Role.class)).add(role);
        if (pos >= n) {
          break;
        }
        pos++; // the comma
        entry++;
        require(skipSpace(text, pos) < n, KEY + " entry " + entry + ": empty entry after the last comma");
      }
      Map<String, Set<Role>> frozen = new LinkedHashMap<>();
      result.forEach((g, roles) -> frozen.put(g, Set.copyOf(roles)));
      return Collections.unmodifiableMap(frozen);
    }

    private static int skipSpace(String text, int pos) {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
      return pos;
    }
  }
}
