import { html } from 'hono/html';

/** The page `npm start` points to: what runs here and where to go next. */
export function landingPage(shops: ReadonlyArray<{ id: string; name: string }> = [], demo?: string) {
  return html`<!doctype html>
<html lang="de">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Vitrine</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
      code { background: #f2f2f4; padding: 0 .25rem; border-radius: 3px; }
      li { margin: .25rem 0; }
    </style>
  </head>
  <body>
    <main>
      <h1>Vitrine</h1>
      <p>Personalisierung, über die Ihre Kundinnen und Kunden selbst entscheiden. <span lang="en">Personalization your customers control.</span></p>
      ${
        demo
          ? html`<p><a href="${demo}"><strong>Zum Demo-Shop</strong></a> – so sehen Ihre Kundinnen und Kunden Vitrine: Einwilligungsdialog, Vorschläge mit „Warum?“, Datenschutz-Center. <a href="${demo}?lang=en" lang="en">Demo shop in English</a>.</p>`
          : ''
      }
      ${shops.length > 0 ? html`<h2>Shops</h2>` : ''}
      <ul>
        ${shops.map(
          (s) => html`<li>${s.name} (<code>${s.id}</code>):
            <a href="/s/${s.id}/privacy">Datenschutzhinweise</a> ·
            <a href="/s/${s.id}/privacy?lang=en">privacy notice</a> ·
            <a href="/s/${s.id}/record-of-processing.html">Verzeichnis der Verarbeitungstätigkeiten</a> ·
            <a href="/s/${s.id}/record-of-processing.json">JSON</a></li>`,
        )}
      </ul>
      <h2>API</h2>
      <ul>
        <li><code>POST /v1/items</code> — Katalog / catalog (secret key)</li>
        <li><code>POST /v1/events</code> — Ereignisse / events, consent-gated</li>
        <li><code>PUT /v1/subjects/{id}/consent</code> — Einwilligung / consent</li>
        <li><code>GET /v1/recommendations</code>, <code>POST /v1/rank</code> — Empfehlungen / recommendations</li>
        <li><a href="/.well-known/gpc.json">/.well-known/gpc.json</a> · <a href="/healthz">/healthz</a></li>
      </ul>
    </main>
  </body>
</html>`;
}
