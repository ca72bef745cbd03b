"use client";
// Owns the API reference's renderer: Scalar's React component (bundled, no CDN), reading
// /api/v1/openapi.json, in the console's theme, with a "try it" that sends only the key pasted here.
import dynamic from "next/dynamic";
import { useEffect, useMemo } from "react";
import { useTheme } from "next-themes";
import type { AnyApiReferenceConfiguration } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";
import { apiReferenceCss } from "./api-reference-theme";

// Scalar mounts a Vue app on a DOM node: browser only.
const ApiReferenceReact = dynamic(() => import("@scalar/api-reference-react").then((m) => m.ApiReferenceReact), {
  ssr: false,
  loading: () => <p className="px-6 py-10 text-sm text-zinc-500 dark:text-zinc-400">Loading the API reference…</p>,
});

/** Scalar's options for Latchkey: nothing leaves this origin, nothing typed here is stored. */
export function apiReferenceConfiguration(dark: boolean): AnyApiReferenceConfiguration {
  return {
    url: "/api/v1/openapi.json",
    // Stable anchors: #latchkey/tag/keys/POST/api/v1/keys.
    slug: "latchkey",
    // The console's theme decides (its toggle sits in the page header); Scalar's own toggle would disagree.
    forceDarkModeState: dark ? "dark" : "light",
    hideDarkModeToggle: true,
    // Every operation in the page (about twenty): reachable by anchor and by the browser's find.
    defaultOpenAllTags: true,
    // A pasted key lives in memory for this page only (Scalar's default, stated so it stays that way).
    persistAuth: false,
    authentication: { preferredSecurityScheme: "bearer" },
    // Self-hosted installs may have no internet: no fonts from Scalar's CDN, no telemetry, no AI agent
    // or MCP upload (they send the document to scalar.com), no request proxy.
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    mcp: { disabled: true },
    showDeveloperTools: "never",
    documentDownloadType: "json",
    defaultHttpClient: { targetKey: "shell", clientKey: "curl" },
    hideClientButton: false,
    // The console's fonts and palette, with text that meets WCAG AA in both modes (see the module).
    customCss: apiReferenceCss,
  };
}

export function ApiReference() {
  const { resolvedTheme } = useTheme();
  const dark = resolvedTheme === "dark";
  // A new object on every render would make Scalar re-apply its configuration each time.
  const configuration = useMemo(() => apiReferenceConfiguration(dark), [dark]);
  // Scalar reads forceDarkModeState once, when it mounts, and themes itself by a class on <body>:
  // a later switch of the console's theme moves that class. On leaving the page the class goes too.
  useEffect(() => {
    document.body.classList.toggle("dark-mode", dark);
    document.body.classList.toggle("light-mode", !dark);
  }, [dark]);
  useEffect(() => () => document.body.classList.remove("dark-mode", "light-mode"), []);
  return <ApiReferenceReact configuration={configuration} />;
}
