package dev.custos.identity.webauthn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A FIDO2 authenticator and browser in one, in software, for tests: one EC P-256 credential with
 * "none" attestation, a signature counter, and knobs to misbehave (another origin, another relying
 * party, no user verification, a counter that goes back, a rogue client that ignores the exclude
 * list). It writes the JSON a browser makes of {@code PublicKeyCredential} with binary values in
 * base64url, from the {@code optionsJson} Custos sends. Public for the PostgreSQL tests in {@code store}.
 */
public final class SoftwareAuthenticator {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int UP = 0x01;
  static final int UV = 0x04;
  static final int BE = 0x08;
  static final int BS = 0x10;
  static final int AT = 0x40;

  private final KeyPair keys;
  private final byte[] credentialId;
  private byte[] userHandle;

  /** The origin the "browser" reports in client data. */
  String origin;
  /** The relying party id the authenticator hashes into its data; null: the one in the options. */
  String rpId;
  /** The ceremony type in client data; null: the right one. */
  String type;
  /** The flags besides AT: user present and verified by default. */
  int flags = UP | UV;
  /** The counter of the last signature; each assertion adds {@link #counterStep} first. */
  long counter;
  /** 0 for an authenticator without a counter. */
  long counterStep = 1;
  Set<String> transports = Set.of("usb", "nfc");
  /** A rogue client: create even when the options exclude this credential. */
  boolean ignoreExcludeList;
  /** A rogue client: sign even when the options do not allow this credential. */
  boolean ignoreAllowList;

  public SoftwareAuthenticator(String origin, SecureRandom random) {
    this.origin = origin;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    credentialId = new byte[32];
    random.nextBytes(credentialId);
  }

  public CredentialId id() {
    return CredentialId.of(credentialId);
  }

  /** The COSE_Key of the public key (RFC 9053 §7.1.1: EC2, ES256, P-256). */
  public byte[] publicKeyCose() {
    ECPublicKey pub = (ECPublicKey) keys.getPublic();
    return new Cbor().map(5)
        .integer(1).integer(2)      // kty: EC2
        .integer(3).integer(-7)     // alg: ES256
        .integer(-1).integer(1)     // crv: P-256
        .integer(-2).bytes(unsigned32(pub.getW().getAffineX()))
        .integer(-3).bytes(unsigned32(pub.getW().getAffineY()))
        .toByteArray();
  }

  /** What {@code navigator.credentials.create()} resolves to, as JSON. */
  public String create(String optionsJson) {
    JsonNode options = publicKey(optionsJson);
    for (JsonNode excluded : options.path("excludeCredentials")) {
      if (excluded.path("id").asText().equals(b64(credentialId)) && !ignoreExcludeList) {
        throw new IllegalStateException("InvalidStateError: this authenticator is already registered");
      }
    }
    userHandle = Base64.getUrlDecoder().decode(options.path("user").path("id").asText());
    String rp = rpId != null ? rpId : options.path("rp").path("id").asText();
    byte[] clientData = clientData("webauthn.create", options.path("challenge").asText());
    byte[] authData = authenticatorData(rp, flags | AT, counter, attestedCredentialData());
    byte[] attestationObject = new Cbor().map(3)
        .text("fmt").text("none")
        .text("attStmt").map(0)
        .text("authData").bytes(authData)
        .toByteArray();
    ObjectNode response = JSON.createObjectNode()
        .put("clientDataJSON", b64(clientData))
        .put("attestationObject", b64(attestationObject));
    ArrayNode ts = response.putArray("transports");
    transports.forEach(ts::add);
    return credential(response);
  }

  /** What {@code navigator.credentials.get()} resolves to, as JSON; the counter goes up by {@link #counterStep}. */
  public String get(String optionsJson) {
    counter += counterStep;
    return get(optionsJson, counter);
  }

  /** An assertion signed with {@code signatureCount} as the counter (a clone, or a replayed old one). */
  public String get(String optionsJson, long signatureCount) {
    JsonNode options = publicKey(optionsJson);
    boolean allowed = false;
    for (JsonNode allow : options.path("allowCredentials")) {
      allowed |= allow.path("id").asText().equals(b64(credentialId));
    }
    if (!allowed && !ignoreAllowList) {
      throw new IllegalStateException("NotAllowedError: no allowed credential on this authenticator");
    }
    String rp = rpId != null ? rpId : options.path("rpId").asText();
    byte[] clientData = clientData("webauthn.get", options.path("challenge").asText());
    byte[] authData = authenticatorData(rp, flags, signatureCount, new byte[0]);
    byte[] signature;
    try {
      Signature ecdsa = Signature.getInstance("SHA256withECDSA"); // DER-encoded, as WebAuthn wants for ES256
      ecdsa.initSign(keys.getPrivate());
      ecdsa.update(authData);
      ecdsa.update(sha256(clientData));
      signature = ecdsa.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    ObjectNode response = JSON.createObjectNode()
        .put("clientDataJSON", b64(clientData))
        .put("authenticatorData", b64(authData))
        .put("signature", b64(signature))
        .put("userHandle", userHandle == null ? null : b64(userHandle));
    return credential(response);
  }

  private String credential(ObjectNode response) {
    ObjectNode credential = JSON.createObjectNode()
        .put("type", "public-key")
        .put("id", b64(credentialId))
        .put("rawId", b64(credentialId));
    credential.set("response", response);
    credential.putObject("clientExtensionResults");
    return credential.toString();
  }

  private byte[] clientData(String ceremony, String challenge) {
    ObjectNode clientData = JSON.createObjectNode()
        .put("type", type != null ? type : ceremony)
        .put("challenge", challenge)
        .put("origin", origin)
        .put("crossOrigin", false);
    return clientData.toString().getBytes(StandardCharsets.UTF_8);
  }

  private byte[] attestedCredentialData() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[16]); // AAGUID: zero, as "none" attestation allows
    out.write(credentialId.length >>> 8);
    out.write(credentialId.length & 0xff);
    out.writeBytes(credentialId);
    out.writeBytes(publicKeyCose());
    return out.toByteArray();
  }

  private static byte[] authenticatorData(String rpId, int flags, long signCount, byte[] attested) {
    return ByteBuffer.allocate(32 + 1 + 4 + attested.length)
        .put(sha256(rpId.getBytes(StandardCharsets.UTF_8)))
        .put((byte) flags)
        .putInt((int) signCount)
        .put(attested)
        .array();
  }

  private static JsonNode publicKey(String optionsJson) {
    try {
      return JSON.readTree(optionsJson).path("publicKey");
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The ids of a credential-list field of {@code optionsJson} ("excludeCredentials", "allowCredentials"). */
  static Set<String> ids(String optionsJson, String field) {
    Set<String> ids = new LinkedHashSet<>();
    publicKey(optionsJson).path(field).forEach(d -> ids.add(d.path("id").asText()));
    return ids;
  }

  private static byte[] unsigned32(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }
}
