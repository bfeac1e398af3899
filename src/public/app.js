// Progressive enhancement only: every page works without this file.
import { initAll } from '/assets/nhsuk/nhsuk-frontend.min.js';

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported');
initAll();

// The page's own words (in its language) for passkey problems, kept on the error element's data attributes.
const passkeyWords = (which, fallback) => document.querySelector('[data-passkey-error]')?.dataset[which] || fallback;

// Reply links open the reply form under the comment instead of a new page.
for (const link of document.querySelectorAll('[data-reply-to]')) {
  link.addEventListener('click', (event) => {
    const form = document.getElementById('add-comment');
    const parentField = document.getElementById('parentId');
    const replyingTo = document.getElementById('replying-to');
    if (!form || !parentField) return;
    event.preventDefault();
    parentField.value = link.getAttribute('data-reply-to');
    if (replyingTo) {
      replyingTo.textContent = `You are replying to ${link.getAttribute('data-reply-name')}.`;
      replyingTo.hidden = false;
    }
    link.closest('li, article').after(form);
    document.getElementById('name')?.focus();
  });
}

// Live progress on pages that offer it (e.g. a newsletter being sent), refreshing a region.
const live = document.querySelector('[data-refresh-seconds]');
if (live) {
  const seconds = Number(live.getAttribute('data-refresh-seconds')) || 5;
  setInterval(async () => {
    const res = await fetch(window.location.href, { headers: { accept: 'text/html' } });
    if (!res.ok) return;
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const fresh = doc.querySelector('[data-refresh-seconds]');
    if (fresh) live.innerHTML = fresh.innerHTML;
    // Finished: the whole page changes (an import's report appears), so load it again.
    else window.location.reload();
  }, seconds * 1000);
}

// Passkeys (contributors): shown only where the browser can make and use them. Without
// JavaScript the passkey controls stay hidden and every other way to sign in still works.
const b64url = {
  toBytes: (s) =>
    Uint8Array.from(window.atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4)), (c) => c.charCodeAt(0)),
  from: (buf) =>
    window
      .btoa(String.fromCharCode(...new Uint8Array(buf)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, ''),
};
const csrfOnPage = () => document.querySelector('input[name="_csrf"]')?.value ?? '';
async function postJson(url, body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ _csrf: csrfOnPage(), ...body }),
    credentials: 'same-origin',
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.message || passkeyWords('failed', 'Something went wrong. Try again.'));
  return data;
}
function showPasskeyError(message) {
  const el = document.querySelector('[data-passkey-error]');
  if (!el) return;
  el.textContent = message;
  el.hidden = false;
}
// A credential in the JSON shape the server's WebAuthn library reads (binary fields as base64url).
const credentialJson = (credential, fields) => ({
  id: credential.id,
  rawId: b64url.from(credential.rawId),
  type: credential.type,
  authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
  clientExtensionResults: credential.getClientExtensionResults(),
  response: { clientDataJSON: b64url.from(credential.response.clientDataJSON), ...fields },
});
const cancelled = (err) => err.name === 'NotAllowedError' || err.name === 'AbortError';

if (window.PublicKeyCredential) {
  for (const el of document.querySelectorAll('[data-passkey-supported]')) el.hidden = false;
  for (const el of document.querySelectorAll('[data-passkey-unsupported]')) el.hidden = true;
}

document.querySelector('[data-passkey-register]')?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  try {
    const options = await postJson('/profile/sign-in-methods/passkeys/options', {});
    const credential = await navigator.credentials.create({
      publicKey: {
        ...options,
        challenge: b64url.toBytes(options.challenge),
        user: { ...options.user, id: b64url.toBytes(options.user.id) },
        excludeCredentials: (options.excludeCredentials ?? []).map((c) => ({ ...c, id: b64url.toBytes(c.id) })),
      },
    });
    const r = credential.response;
    const response = credentialJson(credential, {
      attestationObject: b64url.from(r.attestationObject),
      transports: r.getTransports?.() ?? [],
    });
    const done = await postJson('/profile/sign-in-methods/passkeys/verify', { response, name: form.elements.name?.value ?? '' });
    window.location.assign(done.redirect);
  } catch (err) {
    showPasskeyError(cancelled(err) ? passkeyWords('cancelled', 'No passkey was added. You can try again.') : err.message);
  }
});

document.querySelector('[data-passkey-sign-in]')?.addEventListener('click', async () => {
  try {
    const options = await postJson('/sign-in/passkey/options', {});
    const credential = await navigator.credentials.get({
      publicKey: {
        ...options,
        challenge: b64url.toBytes(options.challenge),
        allowCredentials: (options.allowCredentials ?? []).map((c) => ({ ...c, id: b64url.toBytes(c.id) })),
      },
    });
    const r = credential.response;
    const response = credentialJson(credential, {
      authenticatorData: b64url.from(r.authenticatorData),
      signature: b64url.from(r.signature),
      userHandle: r.userHandle ? b64url.from(r.userHandle) : undefined,
    });
    const done = await postJson('/sign-in/passkey/verify', { response });
    window.location.assign(done.redirect);
  } catch (err) {
    showPasskeyError(
      cancelled(err) ? passkeyWords('cancelled', 'You did not use a passkey. You can try again, or sign in another way.') : err.message,
    );
  }
});
