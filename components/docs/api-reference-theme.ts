// The API reference's theme: Scalar's CSS variables in the console's palette (Tailwind zinc and
// indigo), chosen so that every text colour Scalar uses meets WCAG AA (4.5:1) on the backgrounds it
// puts that text on. Scalar's own default theme falls short: grey secondary text (#757575, #8e8e8e),
// sky-blue strings in code samples and the HTTP-method labels (green, blue, yellow, red at 10 px)
// come to 1.6–4.4:1 in light mode, the greys and red to 3.9–4.4:1 in dark mode.
//
// Where Scalar uses each variable (node_modules/@scalar/api-reference-react/dist/style.css):
//   --scalar-background-1/2/3   page; cards, code blocks, sidebar search; badges, hovered rows
//   --scalar-color-1/2/3        headings and body; descriptions, code, `code` spans; hints, "Default",
//                               "Show child attributes", the client-library tabs, search placeholder
//   --scalar-color-accent       links, the selected tab and sidebar item, focus
//   --scalar-color-green/blue/yellow/red/orange/purple/query
//                               HTTP-method labels (sidebar and operation headers), "required",
//                               syntax highlighting (strings blue, numbers orange, keywords purple)
//   --scalar-button-1*          primary buttons (Scalar's bg-b-btn, e.g. "Send" in the client)
//   --scalar-sidebar-*          derived from the above by Scalar (kept)
//
// Contrast of each text colour on background-1 / background-2 (where Scalar puts coloured text);
// e2e/console-quality.spec.ts checks the rendered page with axe in both modes:
//   light  color-1 17.7/16.1  color-2 7.7/7.0  color-3 6.0/5.4  accent 6.3/5.7  green 5.5/5.0
//          blue 6.7/6.1  yellow 5.0/4.6  red 6.5/5.9  orange 5.2/4.7  purple 7.0/6.4  query 5.5/5.0
//   dark   color-1 18.1/16.1  color-2 7.8/6.9  color-3 6.3/5.6  accent 6.7/5.9  and every hue
//          (the Tailwind 400s) ≥ 6.4 on both, ≥ 5.3 on background-3; white on button-1 6.3
//
// The variables go in unlayered CSS (Scalar's `customCss`): its theme sits in `@layer scalar-theme`
// and unlayered rules win over layered ones whatever their order.
const palette = `
.light-mode {
  --scalar-background-1: #ffffff;
  --scalar-background-2: #f4f4f5;
  --scalar-background-3: #e4e4e7;
  --scalar-background-accent: #4f46e51a;
  --scalar-border-color: #e4e4e7;
  --scalar-color-1: #18181b;
  --scalar-color-2: #52525b;
  --scalar-color-3: #63636b;
  --scalar-color-accent: #4f46e5;
  --scalar-color-green: #047857;
  --scalar-color-red: #b91c1c;
  --scalar-color-yellow: #b45309;
  --scalar-color-blue: #1d4ed8;
  --scalar-color-orange: #c2410c;
  --scalar-color-purple: #7e22ce;
  --scalar-color-query: #0f766e;
  --scalar-button-1: #4f46e5;
  --scalar-button-1-hover: #4338ca;
  --scalar-button-1-color: #ffffff;
}
.dark-mode {
  --scalar-background-1: #09090b;
  --scalar-background-2: #18181b;
  --scalar-background-3: #27272a;
  --scalar-background-accent: #818cf81f;
  --scalar-border-color: #27272a;
  --scalar-color-1: #f4f4f5;
  --scalar-color-2: #a1a1aa;
  --scalar-color-3: #909099;
  --scalar-color-accent: #818cf8;
  --scalar-color-green: #34d399;
  --scalar-color-red: #f87171;
  --scalar-color-yellow: #facc15;
  --scalar-color-blue: #60a5fa;
  --scalar-color-orange: #fb923c;
  --scalar-color-purple: #c084fc;
  --scalar-color-query: #2dd4bf;
  --scalar-button-1: #4f46e5;
  --scalar-button-1-hover: #6366f1;
  --scalar-button-1-color: #ffffff;
}`;

/**
 * Scalar's code-block copy button is named by a "Copy" label inside its screen-reader-only box, but
 * that label is `display: none` (Tailwind's `hidden`) until the code block is hovered or focused: to
 * a screen reader browsing the page the button has no name (axe: button-name, one per code block).
 * Showing the label inside the `sr-only` box names it ("cURL Copy", "JSON Copy") at all times and
 * changes nothing on screen. No configuration option covers it; CSS rather than a script that sets
 * aria-label: it applies to code blocks as Scalar renders them lazily, with nothing to observe.
 */
const copyButtonNames = ".scalar-app .scalar-code-copy .sr-only .hidden { display: inline; }";

export const apiReferenceCss = [
  ".scalar-app { --scalar-font: var(--font-sans); --scalar-font-code: var(--font-mono); }",
  // The phone header keeps an empty 4 px slot for the hidden theme toggle, 5 px past a 390 px screen.
  ".scalar-app .t-doc__header header { overflow-x: clip; }",
  palette,
  copyButtonNames,
].join("\n");
