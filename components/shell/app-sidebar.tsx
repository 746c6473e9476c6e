"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import {
  ActivityIcon,
  BanIcon,
  ChevronsUpDownIcon,
  FilterIcon,
  GaugeIcon,
  GiftIcon,
  HomeIcon,
  InboxIcon,
  KeyRoundIcon,
  LayoutTemplateIcon,
  ListChecksIcon,
  ListIcon,
  MailIcon,
  MegaphoneIcon,
  PlusIcon,
  RouteIcon,
  SendIcon,
  SettingsIcon,
  TagsIcon,
  UserCogIcon,
  UsersIcon,
  WavesIcon,
} from "lucide-react";
import type { Role } from "@/db/schema";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import {
  Sidebar,
  SidebarContent,
  SidebarFooter,
  SidebarGroup,
  SidebarGroupContent,
  SidebarGroupLabel,
  SidebarHeader,
  SidebarMenu,
  SidebarMenuButton,
  SidebarMenuItem,
  SidebarRail,
} from "@/components/ui/sidebar";
import { UserMenu } from "./user-menu";

export interface SidebarWorkspace {
  id: string;
  name: string;
  slug: string;
  role: Role;
}

const rank: Record<Role, number> = { viewer: 0, marketer: 1, admin: 2, owner: 3 };

export function AppSidebar({
  current,
  workspaces,
  user,
}: {
  current: SidebarWorkspace;
  workspaces: SidebarWorkspace[];
  user: { email: string; name: string | null };
}) {
  const t = useTranslations("nav");
  const tRoles = useTranslations("roles");
  const pathname = usePathname();
  const base = `/w/${current.slug}`;
  // Only areas that exist and that this role may open.
  const main = [
    { href: base, label: t("home"), icon: HomeIcon },
    { href: `${base}/contacts`, label: t("contacts"), icon: UsersIcon },
    { href: `${base}/segments`, label: t("segments"), icon: FilterIcon },
    { href: `${base}/journeys`, label: t("journeys"), icon: RouteIcon },
    { href: `${base}/scoring`, label: t("scoring"), icon: GaugeIcon },
    { href: `${base}/templates`, label: t("templates"), icon: LayoutTemplateIcon },
    { href: `${base}/broadcasts`, label: t("broadcasts"), icon: MegaphoneIcon },
    { href: `${base}/messages`, label: t("messages"), icon: MailIcon },
    { href: `${base}/messages/outbox`, label: t("outbox"), icon: InboxIcon },
    { href: `${base}/monitors`, label: t("monitors"), icon: ActivityIcon },
    { href: `${base}/rewards`, label: t("rewards"), icon: GiftIcon },
    { href: `${base}/tasks`, label: t("tasks"), icon: ListChecksIcon },
  ];
  const settings =
    rank[current.role] >= rank.admin
      ? [
          { href: `${base}/settings`, label: t("general"), icon: SettingsIcon },
          { href: `${base}/settings/members`, label: t("members"), icon: UserCogIcon },
          { href: `${base}/settings/keys`, label: t("apiKeys"), icon: KeyRoundIcon },
          { href: `${base}/settings/attributes`, label: t("attributes"), icon: ListIcon },
          { href: `${base}/settings/messaging`, label: t("sending"), icon: SendIcon },
          { href: `${base}/settings/topics`, label: t("topics"), icon: TagsIcon },
          { href: `${base}/settings/suppressions`, label: t("suppressions"), icon: BanIcon },
        ]
      : [];

  // The deepest item the page lies under (/contacts/[id] lights Contacts); Home only on itself.
  const active = [...main, ...settings]
    .map((item) => item.href)
    .filter((href) => pathname === href || (href !== base && pathname.startsWith(`${href}/`)))
    .sort((a, b) => b.length - a.length)[0];

  return (
    <Sidebar collapsible="icon">
      <SidebarHeader>
        <SidebarMenu>
          <SidebarMenuItem>
            <DropdownMenu>
              <DropdownMenuTrigger asChild>
                <SidebarMenuButton size="lg" aria-label={t("workspaces")} data-testid="workspace-switcher">
                  <div className="bg-primary text-primary-foreground flex aspect-square size-8 items-center justify-center rounded-lg">
                    <WavesIcon className="size-4" />
                  </div>
                  <div className="grid flex-1 text-left text-sm leading-tight">
                    <span className="truncate font-medium">{current.name}</span>
                    <span className="text-muted-foreground truncate text-xs">{tRoles(current.role)}</span>
                  </div>
                  <ChevronsUpDownIcon className="ml-auto" />
                </SidebarMenuButton>
              </DropdownMenuTrigger>
              <DropdownMenuContent className="min-w-56" align="start">
                <DropdownMenuLabel className="text-muted-foreground text-xs">{t("workspaces")}</DropdownMenuLabel>
                {workspaces.map((workspace) => (
                  <DropdownMenuItem key={workspace.id} asChild>
                    <Link href={`/w/${workspace.slug}`} aria-current={workspace.id === current.id ? "page" : undefined}>
                      <span className="truncate">{workspace.name}</span>
                      <span className="text-muted-foreground ml-auto text-xs">{tRoles(workspace.role)}</span>
                    </Link>
                  </DropdownMenuItem>
                ))}
                <DropdownMenuSeparator />
                <DropdownMenuItem asChild>
                  <Link href="/new-workspace">
                    <PlusIcon />
                    {t("newWorkspace")}
                  </Link>
                </DropdownMenuItem>
              </DropdownMenuContent>
            </DropdownMenu>
          </SidebarMenuItem>
        </SidebarMenu>
      </SidebarHeader>
      <SidebarContent>
        <NavGroup items={main} active={active} />
        {settings.length > 0 ? <NavGroup label={t("settings")} items={settings} active={active} /> : null}
      </SidebarContent>
      <SidebarFooter>
        <UserMenu user={user} />
      </SidebarFooter>
      <SidebarRail />
    </Sidebar>
  );
}

function NavGroup({
  label,
  items,
  active,
}: {
  label?: string;
  items: Array<{ href: string; label: string; icon: React.ComponentType }>;
  active: string | undefined;
}) {
  return (
    <SidebarGroup>
      {label ? <SidebarGroupLabel>{label}</SidebarGroupLabel> : null}
      <SidebarGroupContent>
        <SidebarMenu>
          {items.map((item) => (
            <SidebarMenuItem key={item.href}>
              <SidebarMenuButton asChild isActive={active === item.href} tooltip={item.label}>
                <Link href={item.href} aria-current={active === item.href ? "page" : undefined}>
                  <item.icon />
                  <span>{item.label}</span>
                </Link>
              </SidebarMenuButton>
            </SidebarMenuItem>
          ))}
        </SidebarMenu>
      </SidebarGroupContent>
    </SidebarGroup>
  );
}
