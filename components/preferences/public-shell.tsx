/** The frame of the public pages a recipient sees (no sidebar, no sign-in), in their language. */
export function PublicShell({ locale, workspaceName, children }: { locale: string; workspaceName?: string; children: React.ReactNode }) {
  return (
    <div lang={locale} className="bg-muted/40 flex min-h-svh items-start justify-center px-4 py-10 sm:items-center">
      <main className="w-full max-w-lg">
        {workspaceName ? <p className="text-muted-foreground mb-3 text-center text-sm font-medium">{workspaceName}</p> : null}
        {children}
      </main>
    </div>
  );
}
