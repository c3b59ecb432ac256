// Custos staff sign-in: password, then a second factor (TOTP, WebAuthn or a recovery code); or
// single sign-on through the OpenID provider when configured (a plain link: the server redirects).
// No inline script (the CSP forbids it); WebAuthn JSON goes through the browser's own
// PublicKeyCredential.parse*OptionsFromJSON and toJSON().
"use strict";

const $ = (id) => document.getElementById(id);
let csrf = null;
let codeFactor = "totp";

function say(text) {
  $("message").textContent = text;
}

async function call(method, path, body) {
  const headers = { "Accept": "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (csrf && method !== "GET") headers["X-CSRF-Token"] = csrf;
  const r = await fetch(path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  const json = text ? JSON.parse(text) : {};
  if (!r.ok) throw new Error(json.detail || ("HTTP " + r.status));
  return json;
}

function show(section) {
  for (const id of ["password-form", "code-form", "signed-in"]) $(id).hidden = id !== section;
}

// Sent here by the console (/login?continue=/console): back to it once signed in. Only that one
// address is honoured, so the parameter cannot send anyone elsewhere.
const continueTo = new URLSearchParams(location.search).get("continue") === "/console" ? "/console" : null;

async function signedIn(session) {
  csrf = session.csrfToken;
  if (continueTo) {
    location.assign(continueTo);
    return;
  }
  $("who").textContent = session.displayName + " (" + session.staff + ")";
  $("roles").textContent = session.roles.join(", ");
  $("method").textContent = session.method;
  const f = await call("GET", "/v1/me/factors");
  $("factors").textContent = f.factors.join(", ");
  show("signed-in");
}

async function webAuthnAssertion(challengePath) {
  const options = await call("POST", challengePath, {});
  const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey);
  const credential = await navigator.credentials.get({ publicKey });
  return credential.toJSON();
}

$("password-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  say("");
  try {
    const r = await call("POST", "/v1/session/login", { username: $("username").value, password: $("password").value });
    $("password").value = "";
    $("use-webauthn").hidden = !r.factors.includes("webauthn");
    show("code-form");
    $("code").focus();
  } catch (err) {
    say(err.message);
  }
});

$("code-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  say("");
  try {
    const s = await call("POST", "/v1/session/login/second-factor", { factor: codeFactor, code: $("code").value });
    $("code").value = "";
    await signedIn(s);
  } catch (err) {
    say(err.message);
  }
});

$("use-recovery").addEventListener("click", () => {
  codeFactor = "recovery-code";
  $("code").setAttribute("inputmode", "text");
  $("code").previousSibling.textContent = "Recovery code ";
  $("code").focus();
});

$("use-webauthn").addEventListener("click", async () => {
  say("");
  try {
    const credential = await webAuthnAssertion("/v1/session/login/webauthn-challenge");
    const s = await call("POST", "/v1/session/login/second-factor", { factor: "webauthn", credential });
    await signedIn(s);
  } catch (err) {
    say(err.message);
  }
});

$("register-key").addEventListener("click", async () => {
  say("");
  try {
    const options = await call("POST", "/v1/me/factors/webauthn/options", {});
    const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey);
    const credential = await navigator.credentials.create({ publicKey });
    await call("POST", "/v1/me/factors/webauthn", { credential: credential.toJSON(), nickname: "browser key" });
    const f = await call("GET", "/v1/me/factors");
    $("factors").textContent = f.factors.join(", ");
    say("Security key added.");
  } catch (err) {
    say(err.message);
  }
});

$("logout").addEventListener("click", async () => {
  try {
    await call("POST", "/v1/session/logout", {});
  } finally {
    csrf = null;
    show("password-form");
    say("Logged out.");
  }
});

// Single sign-on is offered only where it is configured (GET /v1/session/methods).
call("GET", "/v1/session/methods").then((m) => { $("sso").hidden = !m.oidc; }).catch(() => { $("sso").hidden = true; });

call("GET", "/v1/session").then(signedIn).catch(() => show("password-form"));
