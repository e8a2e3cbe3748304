/**
 * The demo storefront's cart lives in sessionStorage under this key, written only when the
 * customer puts something into it: strictly necessary for the cart they asked for (TDDDG § 25(2)
 * Nr. 2), so it needs no consent. It is the shop's key, not the SDK's, and goes when the tab closes.
 */
export const CART_KEY = 'vitrine-demo:cart';
