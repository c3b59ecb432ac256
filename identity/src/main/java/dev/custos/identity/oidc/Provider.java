package dev.custos.identity.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What Custos uses of an OpenID provider's metadata, checked once at discovery.
 *
 * @param issParameter whether the provider promised RFC 9207's {@code iss} callback parameter, which then becomes mandatory
 */
record Provider(Issuer issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri,
    ClientAuthenticationMethod tokenEndpointAuth, Set<JWSAlgorithm> idTokenAlgorithms, boolean issParameter) {
  /**
   * Asymmetric signature algorithms accepted for ID tokens. HMAC (keyed with the client secret)
   * is left out on purpose: anyone holding the secret, in Custos's configuration or the provider's,
   * could then mint tokens.
   */
  static final Set<JWSAlgorithm> ACCEPTED_ALGORITHMS = Set.of(
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384,
      JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA,
      JWSAlgorithm.Ed25519);

  Provider {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(authorizationEndpoint, "authorizationEndpoint");
    Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
    Objects.requireNonNull(jwksUri, "jwksUri");
    Objects.requireNonNull(tokenEndpointAuth, "tokenEndpointAuth");
    idTokenAlgorithms = Set.copyOf(idTokenAlgorithms);
  }

  /** Fetches {@code <issuer>/.well-known/openid-configuration} and checks it (OpenID Connect Discovery 1.0 §4). */
  static Provider discover(OidcSettings settings) throws OidcDiscoveryException {
    Issuer issuer = new Issuer(settings.issuer().toString());
    URL url;
    try {
      url = OIDCProviderMetadata.resolveURL(issuer);
    } catch (GeneralException e) {
      throw new OidcDiscoveryException("oidc.issuer " + issuer + " gives no metadata URL: " + e.getMessage(), e);
    }
    HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, url);
    request.setAccept("application/json");
    request.setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis()));
    request.setReadTimeout(Math.toIntExact(settings.readTimeout().toMillis()));
    request.setFollowRedirects(false);
    HTTPResponse response;
    try {
      response = request.send();
    } catch (IOException e) {
      throw new OidcDiscoveryException("OIDC provider metadata at " + url + " is unreachable: " + e, e);
    }
    if (response.getStatusCode() != 200) {
      throw new OidcDiscoveryException("OIDC provider metadata at " + url + " answered HTTP " + response.getStatusCode() + ", not 200");
    }
    OIDCProviderMetadata metadata;
    try {
      metadata = OIDCProviderMetadata.parse(response.getBodyAsJSONObject());
    } catch (ParseException e) {
      throw new OidcDiscoveryException("OIDC provider metadata at " + url + " is not OpenID Provider metadata: " + e.getMessage(), e);
    }
    if (!issuer.equals(metadata.getIssuer())) {
      throw new OidcDiscoveryException("OIDC provider metadata at " + url + " names issuer " + metadata.getIssuer()
          + ", not oidc.issuer " + issuer + " (they must be identical, OpenID Connect Discovery 1.0 §4.3)");
    }
    return fromMetadata(metadata, url);
  }

  private static Provider fromMetadata(OIDCProviderMetadata metadata, URL url) throws OidcDiscoveryException {
    String where = "OIDC provider metadata at " + url;
    URI authorization = endpoint(metadata.getAuthorizationEndpointURI(), "authorization_endpoint", where);
    URI token = endpoint(metadata.getTokenEndpointURI(), "token_endpoint", where);
    URI jwks = endpoint(metadata.getJWKSetURI(), "jwks_uri", where);
    List<ResponseType> responseTypes = metadata.getResponseTypes();
    if (responseTypes == null || !responseTypes.contains(ResponseType.CODE)) {
      throw new OidcDiscoveryException(where + " does not offer response_type code (the authorization code flow)");
    }
    // Absent means unknown, not unsupported: many providers accept PKCE without advertising it.
    List<CodeChallengeMethod> pkce = metadata.getCodeChallengeMethods();
    if (pkce != null && !pkce.contains(CodeChallengeMethod.S256)) {
      throw new OidcDiscoveryException(where + " lists code_challenge_methods_supported without S256 (PKCE, RFC 7636)");
    }
    Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
    if (metadata.getIDTokenJWSAlgs() != null) {
      metadata.getIDTokenJWSAlgs().stream().filter(ACCEPTED_ALGORITHMS::contains).forEach(algorithms::add);
    }
    if (algorithms.isEmpty()) {
      throw new OidcDiscoveryException(where + " lists no asymmetric id_token_signing_alg_values_supported (RS*, PS*, ES*, EdDSA)");
    }
    return new Provider(metadata.getIssuer(), authorization, token, jwks, tokenEndpointAuth(metadata.getTokenEndpointAuthMethods(), where),
        algorithms, metadata.supportsAuthorizationResponseIssuerParam());
  }

  /** client_secret_basic unless the provider only takes client_secret_post (OpenID Connect Discovery: absent means basic). */
  private static ClientAuthenticationMethod tokenEndpointAuth(List<ClientAuthenticationMethod> offered, String where)
      throws OidcDiscoveryException {
    if (offered == null || offered.isEmpty() || offered.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)) {
      return ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
    }
    if (offered.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
      return ClientAuthenticationMethod.CLIENT_SECRET_POST;
    }
    throw new OidcDiscoveryException(where + " offers neither client_secret_basic nor client_secret_post at its token endpoint");
  }

  private static URI endpoint(URI uri, String name, String where) throws OidcDiscoveryException {
    if (uri == null) {
      throw new OidcDiscoveryException(where + " has no " + name);
    }
    if (!uri.isAbsolute() || uri.getHost() == null || !OidcSettings.secureOrLoopback(uri)) {
      throw new OidcDiscoveryException(where + " gives a " + name + " that is not an https URL: " + uri);
    }
    return uri;
  }
}
