// secpool passkeys.js — signing in with a passkey and adding one (WebAuthn), for the sign-in
// pages and the sign-in settings. No inline script (strict CSP): controls are found by
// data-attributes, through event delegation, so pages swapped in by htmx work too. Where the
// browser has no passkeys the controls stay hidden and the password form does the job.
(() => {
  'use strict';

  const supported = () => !!window.PublicKeyCredential && !!navigator.credentials;

  const decode = (text) => {
    const b64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer;
  };
  const encode = (buffer) => {
    let text = '';
    for (const byte of new Uint8Array(buffer)) text += String.fromCharCode(byte);
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };

  // Browsers that know the JSON forms parse them; for the others, decode the binary fields.
  const creationOptions = (o) => (PublicKeyCredential.parseCreationOptionsFromJSON
    ? PublicKeyCredential.parseCreationOptionsFromJSON(o)
    : { ...o, challenge: decode(o.challenge), user: { ...o.user, id: decode(o.user.id) },
        excludeCredentials: (o.excludeCredentials || []).map((c) => ({ ...c, id: decode(c.id) })) });
  const requestOptions = (o) => (PublicKeyCredential.parseRequestOptionsFromJSON
    ? PublicKeyCredential.parseRequestOptionsFromJSON(o)
    : { ...o, challenge: decode(o.challenge),
        allowCredentials: (o.allowCredentials || []).map((c) => ({ ...c, id: decode(c.id) })) });

  function asJSON(credential) {
    if (typeof credential.toJSON === 'function') return credential.toJSON();
    const r = credential.response;
    const response = { clientDataJSON: encode(r.clientDataJSON) };
    if (r.attestationObject) response.attestationObject = encode(r.attestationObject);
    if (r.authenticatorData) response.authenticatorData = encode(r.authenticatorData);
    if (r.signature) response.signature = encode(r.signature);
    if (r.userHandle) response.userHandle = encode(r.userHandle);
    if (r.getTransports) response.transports = r.getTransports();
    return { id: credential.id, rawId: encode(credential.rawId), type: credential.type, response,
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment || undefined };
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json',
        'X-CSRF-Token': document.body.dataset.csrf || '' },
      body: JSON.stringify(body || {}),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.detail || `${url}: ${response.status}`);
    return data;
  }

  async function signIn(control) {
    const { challenge, publicKey } = await post('/sign-in/passkey/options');
    const credential = await navigator.credentials.get({ publicKey: requestOptions(publicKey) });
    const { next } = await post('/sign-in/passkey', { challenge, credential: asJSON(credential),
      next: control.dataset.next || '/' });
    location.assign(next);
  }

  async function register(control) {
    const { challenge, publicKey } = await post('/settings/passkeys/options');
    const credential = await navigator.credentials.create({ publicKey: creationOptions(publicKey) });
    const name = document.getElementById('passkey-name')?.value || '';
    const { next } = await post('/settings/passkeys', { challenge, credential: asJSON(credential), name,
      next: control.dataset.next || '/' });
    location.assign(next);
  }

  function reveal(root) {
    if (!supported()) return;
    for (const el of root.querySelectorAll?.('[data-passkey-sign-in], [data-passkey-only]') ?? []) el.hidden = false;
    for (const el of root.querySelectorAll?.('[data-passkey-missing]') ?? []) el.hidden = true;
  }
  document.addEventListener('DOMContentLoaded', () => reveal(document));
  document.addEventListener('htmx:load', (event) => reveal(event.target));

  const ACTIONS = { '[data-passkey-sign-in]': signIn, '[data-passkey-register]': register };
  document.addEventListener('click', async (event) => {
    for (const [selector, action] of Object.entries(ACTIONS)) {
      const control = event.target.closest?.(selector);
      if (!control) continue;
      event.preventDefault();
      if (control.getAttribute('aria-busy') === 'true') return;
      const problem = control.parentElement?.querySelector('[data-passkey-problem]');
      if (problem) problem.hidden = true;
      control.setAttribute('aria-busy', 'true');
      try {
        await action(control);
      } catch (err) {
        console.warn('secpool passkey:', err);
        if (problem) problem.hidden = false;
      } finally {
        control.removeAttribute('aria-busy');
      }
      return;
    }
  });
})();
