/* Service worker of the offline hari buka (rendered by apps/offline/views.py; version {{ version }}).
   Controls /offline/ only. Workbox 7.4.1 (MIT, static/vendor/workbox-7.4.1; no CDN), its core,
   routing, strategies and precaching modules inlined here: one request instead of five. */
{{ workbox|safe }}

workbox.core.setCacheNameDetails({prefix: "posyandu-luring"});
self.skipWaiting();
workbox.core.clientsClaim();

// The page's own files: fetched once at install, then served from the phone.
workbox.precaching.precacheAndRoute({{ precache|safe }});
workbox.precaching.cleanupOutdatedCaches();

// A response that came through a redirect is the login page, not the page asked for: never keep it.
var noRedirects = {
  cacheWillUpdate: async function (args) {
    var response = args.response;
    return response && response.ok && !response.redirected ? response : null;
  }
};

// The offline pages: the network when it answers within 4 s (2G), else the phone's copy. The
// pages vary by Cookie and Accept-Language (Django's headers); the copy is the user's own anyway.
workbox.routing.registerRoute(
  function (options) {
    return options.request.mode === "navigate" && options.url.pathname.indexOf("/offline/") === 0;
  },
  new workbox.strategies.NetworkFirst({cacheName: "posyandu-luring-halaman", networkTimeoutSeconds: 4,
                                       matchOptions: {ignoreVary: true}, plugins: [noRedirects]})
);

// Static files the page loads after it is ready (Bootstrap's script, for the menu): kept when
// first fetched rather than precached, so they are not on the way to "ready offline" on a 3G
// first load; served from the phone next time and refreshed in the background.
workbox.routing.registerRoute(
  function (options) {
    return options.url.origin === self.location.origin && options.url.pathname.indexOf("{{ static_url|escapejs }}") === 0;
  },
  new workbox.strategies.StaleWhileRevalidate({cacheName: "posyandu-luring-statis", plugins: [noRedirects]})
);
