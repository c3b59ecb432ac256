// Custos customer page: fetches the customer's access log and verifies it here, with WebCrypto.
// Trusted: only the verifier key (pinned in this browser on first use, or pasted by the customer).
// Checked: the checkpoint's Ed25519 signed-note signature; each entry's RFC 9162 leaf hash and its
// inclusion proof to the checkpoint's root; the consistency proof from the checkpoint this browser
// saw last (localStorage); the commitment recomputed from the salt and the customer id, and that
// every entry names it. The table is drawn from the verified entry bytes, not from the server's
// summary; only the staff pseudonym and team come from the server unverified (they are labels).
// Witnesses (C2SP tlog-cosignature/v1): every cosignature line on the checkpoint is listed with its
// witness name and key hash; those by a witness key trusted here (the keys the customer pasted, else
// the list the exchange publishes in the log) are verified, others are shown as not checked.
// No inline script (the CSP forbids it). The token is never put in a URL query.
"use strict";

const $ = (id) => document.getElementById(id);
const utf8 = new TextEncoder();

function b64decode(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function b64encode(bytes) {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function concat(...parts) {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function equal(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

async function sha256(...parts) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", concat(...parts)));
}

// RFC 9162 §2.1.1: leaf and interior node hashes.
const leafHash = (entry) => sha256(Uint8Array.of(0), entry);
const nodeHash = (l, r) => sha256(Uint8Array.of(1), l, r);

// RFC 9162 §2.1.3.2: verifying an inclusion proof.
async function verifyInclusion(index, size, leaf, path, root) {
  let fn = BigInt(index), sn = BigInt(size) - 1n;
  if (fn > sn) return false;
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n; sn >>= 1n;
  }
  return sn === 0n && equal(r, root);
}

// RFC 9162 §2.1.4.2: verifying a consistency proof.
async function verifyConsistency(first, second, path, firstRoot, secondRoot) {
  let m = BigInt(first), n = BigInt(second);
  if (m < 1n || m > n) return false;
  if (m === n) return path.length === 0 && equal(firstRoot, secondRoot);
  if (path.length === 0) return false;
  let c = path;
  if ((m & (m - 1n)) === 0n) c = [firstRoot, ...path];
  let fn = m - 1n, sn = n - 1n;
  while ((fn & 1n) === 1n) { fn >>= 1n; sn >>= 1n; }
  let fr = c[0], sr = c[0];
  for (const h of c.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = await nodeHash(h, fr);
      sr = await nodeHash(h, sr);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      }
    } else {
      sr = await nodeHash(sr, h);
    }
    fn >>= 1n; sn >>= 1n;
  }
  return sn === 0n && equal(fr, firstRoot) && equal(sr, secondRoot);
}

// C2SP signed-note verifier key: <name>+<8 hex key hash>+<base64(0x01 || Ed25519 public key)>.
async function parseVerifierKey(text) {
  const t = text.trim();
  const a = t.indexOf("+");
  const b = t.indexOf("+", a + 1);
  if (a <= 0 || b !== a + 9) throw new Error("the verifier key is not name+hash+key");
  const name = t.slice(0, a);
  const hashHex = t.slice(a + 1, b);
  const raw = b64decode(t.slice(b + 1));
  if (raw.length !== 33 || raw[0] !== 1) throw new Error("the verifier key is not an Ed25519 note key");
  const keyHash = (await sha256(utf8.encode(name + "\n"), raw)).slice(0, 4);
  if (hex(keyHash) !== hashHex.toLowerCase()) throw new Error("the verifier key's hash does not match its key");
  const key = await crypto.subtle.importKey("raw", raw.slice(1), { name: "Ed25519" }, false, ["verify"]);
  return { name, keyHash, key, text: t };
}

// C2SP signed note: the text, a blank line, then "— <name> <base64(key hash || signature)>" lines.
async function verifyNote(noteText, vkey) {
  const split = noteText.indexOf("\n\n");
  if (split < 0) throw new Error("the checkpoint is not a signed note");
  const body = noteText.slice(0, split + 1);
  for (const line of noteText.slice(split + 2).split("\n")) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m || m[1] !== vkey.name) continue;
    const sig = b64decode(m[2]);
    if (sig.length !== 68 || !equal(sig.slice(0, 4), vkey.keyHash)) continue;
    if (await crypto.subtle.verify({ name: "Ed25519" }, vkey.key, sig.slice(4), utf8.encode(body))) {
      const lines = body.split("\n");
      return { origin: lines[0], size: BigInt(lines[1]), root: b64decode(lines[2]) };
    }
  }
  throw new Error("no valid signature by " + vkey.name + " on the checkpoint");
}

// C2SP tlog-cosignature: a witness verifier key is <name>+<8 hex key hash>+<base64(0x04 || Ed25519 public key)>.
async function parseWitnessKey(text) {
  const t = text.trim();
  const a = t.indexOf("+");
  const b = t.indexOf("+", a + 1);
  if (a <= 0 || b !== a + 9) throw new Error("a witness key is not name+hash+key: " + t.slice(0, 40));
  const name = t.slice(0, a);
  const raw = b64decode(t.slice(b + 1));
  if (raw.length !== 33 || raw[0] !== 4) throw new Error("witness key " + name + " is not a cosignature/v1 key");
  const keyHash = (await sha256(utf8.encode(name + "\n"), raw)).slice(0, 4);
  if (hex(keyHash) !== t.slice(a + 1, b).toLowerCase()) throw new Error("witness key " + name + ": hash does not match its key");
  const key = await crypto.subtle.importKey("raw", raw.slice(1), { name: "Ed25519" }, false, ["verify"]);
  return { name, keyHash, key, text: t };
}

// Every signature line of the note other than the log's: { name, keyHash (hex), time (Date or null), raw }.
function cosignatureLines(noteText, vkey) {
  const split = noteText.indexOf("\n\n");
  const out = [];
  if (split < 0) return out;
  for (const line of noteText.slice(split + 2).split("\n")) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) continue;
    let sig;
    try { sig = b64decode(m[2]); } catch (e) { continue; }
    if (sig.length < 4) continue;
    if (m[1] === vkey.name && equal(sig.slice(0, 4), vkey.keyHash)) continue;
    let time = null;
    if (sig.length === 76) {
      const seconds = new DataView(sig.buffer, sig.byteOffset + 4, 8).getBigUint64(0);
      time = seconds <= 8640000000000n ? new Date(Number(seconds) * 1000) : null;
    }
    out.push({ name: m[1], keyHash: hex(sig.slice(0, 4)), time, raw: sig });
  }
  return out;
}

// A cosignature/v1 signs "cosignature/v1\ntime <t>\n" followed by the checkpoint body.
async function verifyCosignature(line, witness, body) {
  if (line.raw.length !== 76 || line.name !== witness.name || line.keyHash !== hex(witness.keyHash)) return false;
  const seconds = new DataView(line.raw.buffer, line.raw.byteOffset + 4, 8).getBigUint64(0);
  const message = utf8.encode("cosignature/v1\ntime " + seconds.toString() + "\n" + body);
  return crypto.subtle.verify({ name: "Ed25519" }, witness.key, line.raw.slice(12), message);
}

// vault.md: SHA-256(lp("custos.commitment/v1") || lp(salt) || lp(customer id)), lp = 4-byte big-endian length.
function lp(bytes) {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

async function commitment(salt, customerId) {
  return hex(await sha256(lp(utf8.encode("custos.commitment/v1")), lp(salt), lp(utf8.encode(customerId))));
}

function sameJson(a, b) {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const o = {};
    for (const k of Object.keys(v).sort()) o[k] = sortKeys(v[k]);
    return o;
  }
  return v;
}

// One item: the entry's leaf hash under the checkpoint's root, and the entry says what the row shows.
async function verifyItem(item, cp, mine) {
  const entryBytes = b64decode(item.entry);
  let entry;
  try {
    entry = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(entryBytes));
  } catch (e) {
    return { ok: false, why: "the entry is not JSON" };
  }
  const leaf = await leafHash(entryBytes);
  const path = item.inclusion.map(b64decode);
  if (!(await verifyInclusion(item.index, cp.size, leaf, path, cp.root))) {
    return { ok: false, why: "the inclusion proof does not lead to the signed checkpoint", entry };
  }
  if (entry.kind !== "custos.access/v1") return { ok: false, why: "not an access entry", entry };
  const names = entry.customer === mine || (Array.isArray(entry.customers) && entry.customers.includes(mine));
  if (!names) return { ok: false, why: "the entry is about someone else", entry };
  const purpose = entry.purpose || {};
  if (entry.at !== item.at || entry.action !== item.action || entry.decision !== item.decision
      || purpose.type !== item.purpose.type || (purpose.id ?? null) !== (item.purpose.id ?? null)
      || (entry.decision === "permit" && entry.fields && !sameJson(entry.fields, item.fields))) {
    return { ok: false, why: "the server's summary differs from the signed entry", entry };
  }
  return { ok: true, entry };
}

function check(ok, text) {
  const li = document.createElement("li");
  li.className = ok === null ? "note" : ok ? "ok" : "bad";
  li.textContent = text;
  $("checks").append(li);
  return ok !== false;
}

function cell(tr, text, cls) {
  const td = document.createElement("td");
  if (cls) td.className = cls;
  if (text instanceof Node) td.append(text); else td.textContent = text;
  tr.append(td);
  return td;
}

function purposeText(p) {
  switch (p.type) {
    case "ticket": return "your support ticket " + p.id;
    case "case": return "investigation case " + p.id;
    case "break-glass": return "emergency access (reviewed by security)";
    default: return "no stated purpose";
  }
}

function fieldsNode(entry, item) {
  const span = document.createElement("span");
  span.className = "fields";
  if (item.decision !== "permit") {
    span.textContent = "refused: " + (entry.deny || item.deny || "denied") + " (nothing was shown)";
    return span;
  }
  const fields = (entry && entry.fields) || item.fields || {};
  const names = Object.keys(fields).sort();
  span.append(item.action + ": ");
  names.forEach((f, i) => {
    const s = document.createElement("span");
    const revealed = fields[f] === "none";
    s.className = revealed ? "revealed" : "masked";
    // Mask "none": shown in clear — revealed on request, or unmasked for the person's role.
    s.textContent = f + (revealed ? (item.action === "reveal" ? " (revealed)" : " (in clear)") : " (masked)");
    span.append(s);
    if (i < names.length - 1) span.append(", ");
  });
  if (names.length === 0) span.append("search result");
  return span;
}

function say(text) {
  $("message").textContent = text;
}

// Lists every cosignature line; verifies those of trusted witnesses. A failed one fails the page; so
// does a missing one of a witness the customer named themselves (the exchange's own list may lag).
async function checkWitnesses(log, vkey) {
  let ok = true;
  const pasted = $("witness-keys").value.split("\n").map((l) => l.trim()).filter((l) => l);
  const published = Array.isArray(log.witnesses) ? log.witnesses.map((w) => w.key) : [];
  const source = pasted.length ? "as you gave it" : "published by the exchange";
  const trusted = [];
  for (const text of pasted.length ? pasted : published) {
    try {
      trusted.push(await parseWitnessKey(text));
    } catch (e) {
      ok = check(false, "Witness key: " + e.message) && ok;
    }
  }
  const split = log.checkpoint.indexOf("\n\n");
  const body = log.checkpoint.slice(0, split + 1);
  const lines = cosignatureLines(log.checkpoint, vkey);
  const when = (l) => (l.time ? " at " + l.time.toISOString() : "");
  for (const w of trusted) {
    const mine = lines.filter((l) => l.name === w.name && l.keyHash === hex(w.keyHash));
    let good = null;
    for (const l of mine) if (await verifyCosignature(l, w, body)) { good = l; break; }
    const label = "witness " + w.name + " (key hash " + hex(w.keyHash) + ", " + source + ")";
    if (good) {
      check(true, "Cosigned by " + label + when(good));
    } else if (mine.length) {
      ok = check(false, "The cosignature by " + label + " does NOT verify: the checkpoint or its time was changed, "
          + "or it is forged") && ok;
    } else if (pasted.length) {
      ok = check(false, "No cosignature by " + label + " on this checkpoint (it may not have cosigned it yet: "
          + "try again in a few seconds)") && ok;
    } else {
      check(null, "No cosignature by " + label + " on this checkpoint yet");
    }
  }
  for (const l of lines) {
    if (trusted.some((w) => w.name === l.name && hex(w.keyHash) === l.keyHash)) continue;
    check(null, "Cosignature line by " + l.name + " (key hash " + l.keyHash + ")" + when(l)
        + ": unknown witness, not checked");
  }
  if (!trusted.length && !lines.length) check(null, "No witness cosigns this log's checkpoints");
  return ok;
}

async function load(token) {
  $("checks").replaceChildren();
  $("rows").replaceChildren();
  say("");
  const summary = $("summary");
  summary.dataset.state = "pending";
  summary.textContent = "Verifying…";
  $("result").hidden = false;

  // Which checkpoint did this browser see last? (kept per customer commitment, see below)
  const seenKey = "custos.seen." + (localStorage.getItem("custos.lastCommitment") || "");
  const seen = JSON.parse(localStorage.getItem(seenKey) || "null");
  const url = "/v1/me/access-log" + (seen ? "?since=" + encodeURIComponent(seen.size) : "");
  const r = await fetch(url, { headers: { "Authorization": "Bearer " + token, "Accept": "application/json" } });
  const log = await r.json().catch(() => ({}));
  if (!r.ok) {
    if (r.status === 400 && seen) {
      check(false, "The log is now smaller than the " + seen.size + " entries this browser saw: it was rolled back");
      summary.dataset.state = "failed";
      summary.textContent = "Verification FAILED";
      return;
    }
    $("result").hidden = true;
    say(log.detail || ("The exchange answered HTTP " + r.status));
    return;
  }

  let allOk = true;
  // 1. The verifier key: the one the customer pasted, else the one pinned here, else pin the served one.
  const pasted = $("vkey").value.trim();
  const pinned = localStorage.getItem("custos.vkey");
  const trusted = pasted || pinned || log.verifierKey;
  let vkey;
  try {
    vkey = await parseVerifierKey(trusted);
  } catch (e) {
    allOk = check(false, "Verifier key: " + e.message) && allOk;
  }
  if (vkey && !pasted && !pinned) {
    localStorage.setItem("custos.vkey", vkey.text);
    check(null, "Verifier key " + vkey.name + " pinned in this browser now (first visit): compare it with the one the exchange publishes");
  } else if (vkey) {
    check(true, "Verifier key " + vkey.name + (pasted ? " (as you gave it)" : " (pinned in this browser)"));
  }
  if (vkey && log.verifierKey.trim() !== vkey.text) {
    allOk = check(false, "The server names another verifier key than the one trusted here") && allOk;
  }

  // 2. The checkpoint's signature.
  let cp = null;
  if (vkey) {
    try {
      cp = await verifyNote(log.checkpoint, vkey);
      check(true, "Checkpoint signed by " + vkey.name + ": " + cp.size + " entries in the log");
    } catch (e) {
      allOk = check(false, "Checkpoint: " + e.message) && allOk;
    }
  }

  // 2b. Witness cosignatures on that checkpoint.
  if (cp) allOk = (await checkWitnesses(log, vkey)) && allOk;

  // 3. My commitment: recomputed from the salt and my customer id.
  const mine = await commitment(b64decode(log.salt), log.customer);
  if (mine === log.commitment) {
    check(true, "Your commitment recomputed from your salt and id " + log.customer + ": " + mine.slice(0, 16) + "…");
  } else {
    allOk = check(false, "Your commitment does not match your salt and id") && allOk;
  }

  // 4. Consistency with the checkpoint seen last.
  if (cp && seen) {
    const proof = log.consistency;
    const ok = proof && BigInt(proof.from) === BigInt(seen.size) && BigInt(proof.to) === cp.size
        && await verifyConsistency(seen.size, cp.size, proof.path.map(b64decode), b64decode(seen.root), cp.root);
    allOk = check(ok, ok ? "The log only grew since your last visit (" + seen.size + " → " + cp.size + " entries)"
        : "The log is NOT consistent with the one you saw last (" + seen.size + " entries): history was rewritten, "
          + "or you are shown a different log than others") && allOk;
  } else if (cp) {
    check(null, "First visit from this browser: the next visit will prove the log only grew");
  }
  if (cp && BigInt(log.indexedSize) < cp.size) {
    check(null, "Entries after " + log.indexedSize + " were not searched yet");
  }

  // 5. Every entry.
  let verified = 0;
  for (const item of log.items) {
    const res = cp ? await verifyItem(item, cp, mine) : { ok: false, why: "no verified checkpoint" };
    const tr = document.createElement("tr");
    tr.dataset.index = item.index;
    tr.dataset.verified = String(res.ok);
    if (item.decision !== "permit") tr.className = "deny";
    const entry = res.entry || {};
    cell(tr, new Date(entry.at || item.at).toLocaleString());
    cell(tr, item.staff + (item.team ? " (" + item.team + ")" : ""));
    cell(tr, purposeText(entry.purpose || item.purpose));
    cell(tr, fieldsNode(entry, item));
    cell(tr, res.ok ? "entry " + item.index + " verified" : res.why, res.ok ? "ok" : "bad");
    $("rows").append(tr);
    if (res.ok) verified++; else allOk = false;
  }
  check(verified === log.items.length, verified + " of " + log.items.length + " entries verified");

  summary.dataset.state = allOk ? "ok" : "failed";
  summary.textContent = allOk ? "Everything verified." : "Verification FAILED: see the marked lines.";
  if (allOk && cp) {
    localStorage.setItem("custos.lastCommitment", mine);
    localStorage.setItem("custos.seen." + mine, JSON.stringify({ size: cp.size.toString(), root: b64encode(cp.root) }));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  // A token handed over in the fragment (#token=...) never reaches a server; drop it from the address bar.
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    $("token").value = decodeURIComponent(m[1]);
    history.replaceState(null, "", location.pathname);
  }
  $("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    load($("token").value.trim()).catch((err) => say("Could not verify: " + err.message));
  });
  if ($("token").value) load($("token").value.trim()).catch((err) => say("Could not verify: " + err.message));
});
