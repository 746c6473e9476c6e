import type { CSSProperties } from "react";

// One look for every email Tideline sends: system fonts (no web fonts to fetch), a 600px
// column, and colours with enough contrast in light and dark mail clients.
export const theme = {
  colors: { text: "#1f2937", muted: "#6b7280", accent: "#0f766e", accentText: "#ffffff", border: "#e5e7eb", background: "#f4f4f5", card: "#ffffff" },
  font: '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Microsoft YaHei", sans-serif',
};

export const styles = {
  body: { backgroundColor: theme.colors.background, fontFamily: theme.font, margin: 0, padding: "24px 0" },
  container: { backgroundColor: theme.colors.card, borderRadius: 8, maxWidth: 600, margin: "0 auto", padding: "32px 32px 24px" },
  heading: { color: theme.colors.text, fontSize: 24, lineHeight: "32px", fontWeight: 700, margin: "0 0 16px" },
  subheading: { color: theme.colors.text, fontSize: 18, lineHeight: "26px", fontWeight: 600, margin: "0 0 8px" },
  paragraph: { color: theme.colors.text, fontSize: 16, lineHeight: "24px", margin: "0 0 16px" },
  muted: { color: theme.colors.muted, fontSize: 13, lineHeight: "20px", margin: "0 0 8px" },
  button: {
    backgroundColor: theme.colors.accent,
    color: theme.colors.accentText,
    borderRadius: 6,
    fontSize: 16,
    fontWeight: 600,
    padding: "12px 20px",
    textDecoration: "none",
    display: "inline-block",
  },
  link: { color: theme.colors.accent, textDecoration: "underline" },
  hr: { borderColor: theme.colors.border, margin: "24px 0" },
} satisfies Record<string, CSSProperties>;
