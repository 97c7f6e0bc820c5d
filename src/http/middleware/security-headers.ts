import { secureHeaders } from 'hono/secure-headers';

/**
 * Response headers that keep the notebook's pages from being turned against
 * their readers: no inline or foreign script (so an HTML injection that slips
 * past the sanitizer still cannot run), no framing, no MIME sniffing.
 */
export function securityHeaders() {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    xFrameOptions: 'DENY',
    // `same-origin`, not `no-referrer`: with no-referrer a browser sends `Origin: null`
    // on same-origin POSTs, which would defeat the CSRF check's Origin comparison.
    referrerPolicy: 'same-origin',
    // Whether the site is HTTPS-only is the TLS-terminating proxy's call, not ours.
    strictTransportSecurity: false,
  });
}
