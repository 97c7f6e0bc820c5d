import type { WebManifest } from './manifest.js';

/** How the browser proves who it is; the UI adapts its sign-in to it. */
export type AuthMode = 'open' | 'proxy' | 'token';

// A bell, drawn inline so the favicon costs no request (CSP allows data: images).
const ICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Cpath fill='%23d9480f' d='M8 1a4.5 4.5 0 0 0-4.5 4.5V9L2 11.5V12h12v-.5L12.5 9V5.5A4.5 4.5 0 0 0 8 1zm-1.75 12a1.75 1.75 0 0 0 3.5 0z'/%3E%3C/svg%3E";

/**
 * The one HTML page of the single-page app. No inline script (the CSP forbids
 * it): the auth mode travels in a meta tag the bundle reads.
 */
export function renderShell(manifest: WebManifest, authMode: AuthMode): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="alertbook-auth" content="${authMode}">
<title>Alertbook</title>
<link rel="icon" href="${ICON}">
<link rel="stylesheet" href="${manifest.style}">
<script type="module" src="${manifest.script}"></script>
</head>
<body>
<div id="app"></div>
<noscript>Alertbook's notebook needs JavaScript. The API is at /api/v1.</noscript>
</body>
</html>
`;
}
