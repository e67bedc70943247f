// afterrun's service worker: the app shell and the pictures from the cache, so a
// cool-down that has started goes on with no network. Data is never cached: the
// player keeps its own log and sends it when the network is back.
"use strict";

const CACHE = "afterrun-v4";
// Every tab's own page, so that each opens as itself with no network (a copy from the
// last visit, else from when afterrun was installed), and the page that says so honestly
// for anything else.
const PAGES = ["/", "/play", "/runs", "/checkin", "/report", "/settings", "/offline"];
const SHELL = [
  ...PAGES,
  "/static/app.css",
  "/static/report.css",
  "/static/app.js",
  "/static/player.js",
  "/static/icon.svg",
  "/manifest.webmanifest",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

function isPicture(url) {
  return url.pathname.startsWith("/api/exercises/") && url.pathname.endsWith("/illustration.svg");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") && !isPicture(url)) return;
  if (url.pathname.startsWith("/static/") || isPicture(url)) {
    // The cached copy at once, and a fresh one for next time (a new version of afterrun
    // brings new styles and scripts without a cache to clear by hand).
    const fresh = fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    });
    event.waitUntil(fresh.then(() => undefined, () => undefined));
    event.respondWith(caches.match(request).then((hit) => hit || fresh));
    return;
  }
  // Pages: the network when it answers, else the copy from the last visit.
  event.respondWith(
    fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    }).catch(() => caches.match(request, { ignoreSearch: true })
      .then((hit) => hit || caches.match("/offline"))),
  );
});
