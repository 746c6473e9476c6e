/** What the template page's server actions answer, shared with the client components. */
export type PreviewData = { subject: string; preheader?: string; from?: string; html?: string; text: string; url?: string; contact: string | null };
export type ContactOption = { id: string; label: string; email: string | null };
export type TestResult = { status: string; reason: string | null; to: string; messageId: string };
