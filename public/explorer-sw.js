/* global self, caches, fetch, URL */
// Keeps the explorer working offline after the first visit. Files under /explorer-assets/ and
// /_next/static/ are named by their content, so a cached copy is always right: served from the
// cache first. The page and the model list are fetched fresh when the network is there, and the
// last copy is used when it is not. Nothing else is cached, and nothing from other origins.
const CACHE = "token-hat-explorer-v1";
/** Keeps a copy without holding the response back; a full disk only means no offline copy. */
const keep = (event, cache, request, res) => {
  if (res.ok) event.waitUntil(cache.put(request, res.clone()).catch(() => undefined));
  return res;
};
const IMMUTABLE = ["/explorer-assets/", "/_next/static/"];
const FRESH = ["/explore", "/api/explorer", "/hat.svg"];

self.addEventListener("install", () => self.skipWaiting());
// A new version of this file starts a new cache; the old ones go.
self.addEventListener("activate", (event) =>
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  ),
);

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (IMMUTABLE.some((p) => url.pathname.startsWith(p))) {
    event.respondWith(
      caches.open(CACHE).then(async (cache) => {
        const hit = await cache.match(event.request);
        if (hit) return hit;
        return keep(event, cache, event.request, await fetch(event.request));
      }),
    );
  } else if (FRESH.some((p) => url.pathname === p || url.pathname.startsWith(`${p}?`))) {
    event.respondWith(
      caches.open(CACHE).then(async (cache) => {
        try {
          return keep(event, cache, event.request, await fetch(event.request));
        } catch (error) {
          const hit = await cache.match(event.request, { ignoreSearch: url.pathname === "/explore" });
          if (hit) return hit;
          throw error;
        }
      }),
    );
  }
});
