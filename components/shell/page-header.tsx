import { Separator } from "@/components/ui/separator";
import { SidebarTrigger } from "@/components/ui/sidebar";

export function PageHeader({ title, description }: { title: string; description?: string }) {
  return (
    <header className="flex flex-col gap-1 border-b px-6 py-4">
      <div className="flex items-center gap-2">
        <SidebarTrigger className="-ml-2" />
        <Separator orientation="vertical" className="mr-1 data-[orientation=vertical]:h-4" />
        <h1 className="text-lg font-semibold">{title}</h1>
      </div>
      {description ? <p className="text-muted-foreground text-sm">{description}</p> : null}
    </header>
  );
}
