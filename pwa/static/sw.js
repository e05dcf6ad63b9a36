// secpool sw.js — the service worker, served by the pwa at /sw.js (scope /).
// Static files, precached and served from the cache alone (their addresses carry a hash of
// their content, so a cached one is never stale); the offline page; an offline queue for the
// new-request form, files included (IndexedDB "secpool" / store "outbox", keyed by the form's
// idempotency_key); Web Push display.
// Pages are private and live: they are never cached, only the static files and /offline are.
'use strict';

// The pwa fills this in when it serves this file (pwa/assets.py): each static file's name →
// its hashed address. A changed file changes this worker too, so the browser installs the
// new one, which fetches only the files it does not hold yet.
const ASSETS = {};
const asset = (name) => ASSETS[name] || `/static/${name}`;
const HASHED = new Set(Object.values(ASSETS));

const VERSION = 'v5'; // bump when the offline page or this file's caching changes
const SHELL_CACHE = `secpool-shell-${VERSION}`; // the offline page
const STATIC_CACHE = 'secpool-static'; // hashed files, kept across versions, pruned to ASSETS
const OFFLINE_URL = '/offline';
// What every page loads. Not the icons of notifications and of installing: a push needs the
// network anyway, and the browser fetches those itself (their hashed names stay in its cache).
const PRECACHE = [
  'app.css', 'app.js', 'files.js', 'passkeys.js', 'vendor/htmx.min.js', 'vendor/htmx-ext-sse.js', 'icons/favicon.svg',
].map(asset);
const QUEUED_PATH = '/requests'; // POST target of the new-request form
const SYNC_TAG = 'secpool-outbox';

// ---------- Lifecycle ----------
self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const shell = await caches.open(SHELL_CACHE);
    const statics = await caches.open(STATIC_CACHE);
    // One missing file must not stop the worker (and push with it): cache what answers.
    // Hashed files come from the browser's HTTP cache when the page has just loaded them
    // (default cache mode): a first visit downloads each of them once, not twice.
    await Promise.all([
      shell.add(new Request(OFFLINE_URL, { cache: 'reload' })).catch((err) => console.warn('secpool sw: offline page not cached', err)),
      ...PRECACHE.map(async (url) => {
        if (await statics.match(url, { ignoreVary: true })) return;
        await statics.add(url).catch((err) => console.warn(`secpool sw: ${url} not cached`, err));
      }),
    ]);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith('secpool-') && name !== SHELL_CACHE && name !== STATIC_CACHE)
      .map((name) => caches.delete(name)));
    // Files of older versions go; an old page still asking for one gets it from the network.
    const statics = await caches.open(STATIC_CACHE);
    const stale = (await statics.keys()).filter((request) => !HASHED.has(new URL(request.url).pathname));
    await Promise.all(stale.map((request) => statics.delete(request)));
    await self.registration.navigationPreload?.enable();
    await self.clients.claim();
  })());
  // Not inside waitUntil: fetches wait for activation, and a slow network must not stall them.
  flushOutbox();
});

// ---------- Fetch routing ----------
self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && url.pathname === QUEUED_PATH) {
    event.respondWith(submitOrQueue(request));
    return;
  }
  if (request.method !== 'GET') return; // other writes go straight to the network
  // Server-sent events stream straight through, never cached.
  if (url.pathname === '/events' || url.pathname.startsWith('/events/') ||
      request.headers.get('Accept')?.includes('text/event-stream')) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(event));
  } else if (HASHED.has(url.pathname)) {
    event.respondWith(cacheFirst(request, url.pathname));
  }
  // Anything else (unhashed static names, /sw.js) goes to the network: the server
  // answers an unchanged one with a 304.
});

async function networkFirst(event) {
  try {
    return (await event.preloadResponse) || (await fetch(event.request));
  } catch {
    return (await caches.match(OFFLINE_URL)) || htmlPage(503, OFFLINE_PAGE);
  }
}

// A hashed address never changes content: what the cache holds is served without asking.
async function cacheFirst(request, path) {
  const statics = await caches.open(STATIC_CACHE);
  const cached = await statics.match(path, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await statics.put(path, response.clone());
  return response;
}

// ---------- Offline queue for new requests ----------
async function submitOrQueue(request) {
  const copy = request.clone(); // fetch() consumes the body; keep one to queue
  try {
    return await fetch(request);
  } catch {
    const entry = await outboxEntry(copy);
    if (!entry) return (await caches.match(OFFLINE_URL)) || htmlPage(503, OFFLINE_PAGE);
    await outbox('readwrite', (store) => store.put(entry)); // same key again = same row
    try {
      await self.registration.sync?.register(SYNC_TAG);
    } catch {
      // Background Sync refused: the "online" flush from app.js still sends it.
    }
    await notifyClients({ type: 'queued', path: QUEUED_PATH });
    return htmlPage(202, QUEUED_PAGE);
  }
}

async function outboxEntry(request) {
  const contentType = request.headers.get('Content-Type') || '';
  let key = null;
  let body = null;
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    body = await request.text();
    key = new URLSearchParams(body).get('idempotency_key');
  } else if (contentType.startsWith('multipart/form-data')) {
    // With files: the body is kept as it was sent (a Blob, boundary and all), where the
    // browser lets IndexedDB hold Blobs; the key is read from a copy.
    body = await request.clone().blob();
    try {
      key = (await request.formData()).get('idempotency_key');
    } catch {
      key = null;
    }
  }
  // Without a key a replay could create the request twice: then do not queue at all.
  return key ? { key, url: request.url, body, contentType, queuedAt: Date.now() } : null;
}

// Sync, "flush" messages and activation can overlap: run one flush at a time.
let flushing = null;
function flushOutbox() {
  flushing ??= replayOutbox()
    .catch((err) => { console.warn('secpool sw: flush failed', err); return -1; })
    .finally(() => { flushing = null; });
  return flushing;
}

// Re-POSTs every queued body unchanged (same idempotency key, so the server answers with
// the request it may already have). A row is deleted only once the server has answered
// below 500. Resolves to the number of rows still queued.
async function replayOutbox() {
  const entries = await outbox('readonly', (store) => store.getAll());
  let left = entries.length;
  for (const entry of entries) {
    let response;
    try {
      response = await fetch(entry.url, {
        method: 'POST',
        body: entry.body,
        headers: { 'Content-Type': entry.contentType },
        credentials: 'same-origin',
        redirect: 'manual', // the 303 is the answer; no need to load the page behind it
      });
    } catch {
      break; // still offline: keep this one and the rest
    }
    if (response.status >= 500) continue; // opaqueredirect reports status 0: accepted
    await outbox('readwrite', (store) => store.delete(entry.key));
    left -= 1;
    await notifyClients({ type: 'sent', path: new URL(entry.url).pathname, status: response.status });
  }
  return left;
}

self.addEventListener('sync', (event) => {
  if (event.tag !== SYNC_TAG) return;
  // Rejecting asks the browser to retry this sync later.
  event.waitUntil(flushOutbox().then((left) => {
    if (left !== 0) throw new Error(`secpool sw: ${left} queued request(s) not sent yet`);
  }));
});

// Back online, the page may hear it before this worker can reach the server, and a server
// that is restarting answers 5xx: a replay that leaves something queued is tried again a few
// times within a minute, rather than only at the browser's next sync (minutes later, and
// never in browsers without Background Sync).
const RETRY_SECONDS = [1, 2, 4, 8, 15, 30];
async function flushUntilSent() {
  let left = await flushOutbox();
  for (const seconds of RETRY_SECONDS) {
    if (left === 0) break;
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    left = await flushOutbox();
  }
  return left;
}

self.addEventListener('message', (event) => {
  if (event.data?.type === 'flush') event.waitUntil(flushUntilSent());
});

function openDb() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('secpool', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('outbox', { keyPath: 'key' });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

// Runs one operation on the outbox store; resolves with its result once the transaction
// has committed.
async function outbox(mode, operation) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction('outbox', mode);
      const request = operation(tx.objectStore('outbox'));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

async function notifyClients(message) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) client.postMessage(message);
}

// ---------- Pages the worker answers itself (Dutch + English) ----------
// They load app.js (same origin, allowed by their CSP): back online it asks this worker to
// send what it kept and says so in #live-status, without the person going anywhere.
const QUEUED_PAGE = {
  title: 'Bewaard · Saved',
  body: `<div class="banner banner--info" role="status"><div>
<p lang="nl"><strong>Je aanvraag is bewaard</strong> en wordt verstuurd zodra je weer online bent.</p>
<p lang="en"><strong>Your request is saved</strong> and will be sent when you are back online.</p>
</div></div>
<p><a class="button button--primary" href="/requests">Mijn aanvragen · My requests</a></p>`,
};
const OFFLINE_PAGE = {
  title: 'Offline',
  body: `<div class="banner banner--warn" role="status"><div>
<p lang="nl">Je bent offline. Probeer het opnieuw als je weer verbinding hebt.</p>
<p lang="en">You are offline. Try again when you have a connection.</p>
</div></div>`,
};

function htmlPage(status, { title, body }) {
  // #live-status is here too: with hx-boost this page replaces the body, and app.js
  // keeps reporting into it (for example when the queued request has been sent).
  const html = `<!doctype html><html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — secpool</title><link rel="stylesheet" href="${asset('app.css')}">
<script src="${asset('app.js')}" defer></script></head>
<body><main id="main" class="container stack"><h1>${title}</h1>${body}</main>
<div id="live-status" class="toasts" role="status" aria-live="polite"></div></body></html>`;
  return new Response(html, {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'self'",
      'Cache-Control': 'no-store',
    },
  });
}

// ---------- Web Push ----------
// Payload {title, body, url, tag}: ids and generic text only, never the request's text.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data?.json() ?? {};
  } catch {
    // not JSON: fall back to the generic notification below
  }
  event.waitUntil(self.registration.showNotification(data.title || 'secpool', {
    body: data.body || '',
    tag: data.tag || undefined,
    renotify: Boolean(data.tag), // a newer offer under the same tag still alerts
    icon: asset('icons/icon-192.png'),
    badge: asset('icons/badge-96.png'),
    data: { url: sameOriginUrl(data.url) },
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data?.url || sameOriginUrl('/');
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const open = windows.find((client) => client.url === url);
    return open ? open.focus() : self.clients.openWindow(url);
  })());
});

// The browser replaced the subscription: subscribe again with the same key. app.js sends
// the new endpoint to the server on the next page load (it holds the CSRF token).
self.addEventListener('pushsubscriptionchange', (event) => {
  const key = event.oldSubscription?.options?.applicationServerKey;
  if (key) event.waitUntil(self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }));
});

// A notification may only open our own pages.
function sameOriginUrl(value) {
  try {
    const url = new URL(value || '/', self.location.origin);
    if (url.origin === self.location.origin) return url.href;
  } catch {
    // malformed: use the start page
  }
  return new URL('/', self.location.origin).href;
}
