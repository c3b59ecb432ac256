// The Custos console: the step-up dialog (TOTP code or WebAuthn, through POST /v1/session/step-up)
// and nothing that decides anything. No inline script anywhere (the CSP forbids it).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const dialog = $("step-up");
  if (!dialog) return;
  let pendingForm = null;

  function csrf() {
    return document.querySelector('meta[name="custos-csrf"]').content;
  }

  // A step-up replaces the session cookie, and with it the CSRF token: every form takes the new one.
  function setCsrf(token) {
    document.querySelector('meta[name="custos-csrf"]').content = token;
    for (const input of document.querySelectorAll('input[name="csrf"]')) input.value = token;
    for (const form of document.querySelectorAll("form[data-step-up-fresh]")) form.dataset.stepUpFresh = "true";
  }

  async function call(path, body) {
    const r = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: JSON.stringify(body),
    });
    const text = await r.text();
    const json = text ? JSON.parse(text) : {};
    if (!r.ok) throw new Error(json.detail || ("HTTP " + r.status));
    return json;
  }

  function say(text) {
    $("step-up-message").textContent = text;
  }

  function open(form) {
    pendingForm = form;
    say("");
    $("step-up-code").value = "";
    dialog.showModal();
    $("step-up-code").focus();
  }

  function done(session) {
    setCsrf(session.csrfToken);
    dialog.close();
    const form = pendingForm;
    pendingForm = null;
    if (form) form.submit();
  }

  $("step-up-open").addEventListener("click", () => open(null));
  $("step-up-cancel").addEventListener("click", () => { pendingForm = null; dialog.close(); });

  $("step-up-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    say("");
    try {
      done(await call("/v1/session/step-up", { factor: "totp", code: $("step-up-code").value }));
    } catch (err) {
      say(err.message);
    }
  });

  $("step-up-webauthn").addEventListener("click", async () => {
    say("");
    try {
      const options = await call("/v1/session/step-up/webauthn-challenge", {});
      const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey);
      const credential = await navigator.credentials.get({ publicKey });
      done(await call("/v1/session/step-up", { factor: "webauthn", credential: credential.toJSON() }));
    } catch (err) {
      say(err.message);
    }
  });

  // A reveal, an approval or a restore without a fresh second factor asks for one first, then sends the
  // form as filled in. (The server checks again; this only saves a refused round trip.)
  for (const form of document.querySelectorAll("form[data-step-up-fresh]")) {
    form.addEventListener("submit", (e) => {
      if (form.dataset.stepUpFresh !== "true" && form.reportValidity()) {
        e.preventDefault();
        open(form);
      }
    });
  }

  // After a refusal that asked for a step-up, open the dialog at once.
  if (document.querySelector("#customer-message") && document.querySelector("form[data-step-up-fresh='false']")) {
    open(null);
  }
})();
