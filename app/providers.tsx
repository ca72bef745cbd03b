"use client";
import { ThemeProvider, useTheme } from "next-themes";
import { Toaster } from "sonner";

/** Toasts follow the console's theme (light, dark, or the system's), not Sonner's light default. */
function ThemedToaster() {
  const { resolvedTheme } = useTheme();
  return <Toaster richColors closeButton position="bottom-right" theme={resolvedTheme === "dark" ? "dark" : "light"} />;
}

export function Providers({ children, nonce }: { children: React.ReactNode; nonce?: string }) {
  return (
    <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange nonce={nonce}>
      {children}
      <ThemedToaster />
    </ThemeProvider>
  );
}
