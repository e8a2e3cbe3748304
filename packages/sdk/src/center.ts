import type { Subject } from './api';
import type { Level } from './consent';

/**
 * The messages between a shop's page (the SDK) and Vitrine's privacy center, which the page
 * embeds in a frame or opens in a new tab. The subject's token goes only by `postMessage` to the
 * center's origin (the API's), never into a URL: no server log, browser history or Referer
 * header ever holds it. Each side checks the other's origin and window before it listens.
 */
export type CenterMessage =
  /** center → page: it has loaded and asks who the customer is. */
  | { vitrine: 'center-ready'; shop: string }
  /** page → center: the public key and the subject (null before any consent). */
  | { vitrine: 'identity'; shop: string; publicKey: string; subject: Subject | null }
  /** center → page: the customer changed their consent there; `subject` is new when there was none. */
  | {
      vitrine: 'consent';
      shop: string;
      subject: Subject | null;
      level: Level;
      purposes: Record<string, boolean>;
      gpc: boolean;
      version: number;
    }
  /** center → page: the customer deleted everything; the device forgets the subject. */
  | { vitrine: 'erased'; shop: string }
  /** center → page: the height the frame needs to show the center without its own scroll bar. */
  | { vitrine: 'height'; shop: string; height: number };

/** The privacy center's address for a shop on a Vitrine server; `embed`: inside the shop's page (no header of its own). */
export const centerUrl = (api: string, shopId: string, lang: string, embed = false): string =>
  `${api.replace(/\/+$/, '')}/s/${encodeURIComponent(shopId)}/privacy-center?lang=${lang}${embed ? '&embed=1' : ''}`;
