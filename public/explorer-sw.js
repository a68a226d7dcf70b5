/* global self, caches, fetch, URL */
// Keeps the explorer working offline after the first visit. Files under /explorer-assets/ and
// /_next/static/ are named by their content, so a cached copy is always right: served from the
// cache first. The page and the model list are fetched fresh when the network is there, and the
// last copy is used when it is not. Nothing else is cached, and nothing from other origins.
const CACHE = "token-hat-explorer-v1";
const IMMUTABLE = ["/explorer-assets/", "/_next/static/"];
const FRESH = ["/explore", "/api/explorer", "/hat.svg"];

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (IMMUTABLE.some((p) => url.pathname.startsWith(p))) {
    event.respondWith(
      caches.open(CACHE).then(async (cache) => {
        const hit = await cache.match(event.request);
        if (hit) return hit;
        const res = await fetch(event.request);
        if (res.ok) await cache.put(event.request, res.clone());
        return res;
      }),
    );
  } else if (FRESH.some((p) => url.pathname === p || url.pathname.startsWith(`${p}?`))) {
    event.respondWith(
      caches.open(CACHE).then(async (cache) => {
        try {
          const res = await fetch(event.request);
          if (res.ok) await cache.put(event.request, res.clone());
          return res;
        } catch (error) {
          const hit = await cache.match(event.request, { ignoreSearch: url.pathname === "/explore" });
          if (hit) return hit;
          throw error;
        }
      }),
    );
  }
});
