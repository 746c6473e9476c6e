import { createPublicKey } from "node:crypto";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireWorkspace } from "@/lib/auth/session";
import { listSenders } from "@/lib/messages/senders";
import { loadMessagingSettings, messagingSettingsView } from "@/lib/messages/settings";
import { cappedChannels } from "@/lib/validation/messaging";
import { PageHeader } from "@/components/shell/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DeliveryForm, DkimForm, PostalAddressForm, SmtpForm, TrackingForm } from "@/components/messaging/settings-forms";
import { SendersCard } from "@/components/messaging/senders-card";
import {
  deleteSenderAction,
  makeDefaultSenderAction,
  saveDeliveryAction,
  saveDkimAction,
  savePostalAddressAction,
  saveSenderAction,
  saveSmtpAction,
  saveTrackingAction,
  sendSmtpTestAction,
} from "./actions";

export const metadata: Metadata = { title: "Sending" };

// The public half of the stored DKIM key, as the TXT record the domain must publish. Only the
// public key leaves the server.
async function dkimRecord(db: Parameters<typeof loadMessagingSettings>[0], workspaceId: string) {
  const { dkim } = await loadMessagingSettings(db, workspaceId);
  if (!dkim) return undefined;
  try {
    const key = createPublicKey(dkim.privateKey);
    const der = key.export({ type: "spki", format: "der" }).toString("base64");
    const type = key.asymmetricKeyType === "ed25519" ? "ed25519" : "rsa";
    return { name: `${dkim.keySelector}._domainkey.${dkim.domainName}`, value: `v=DKIM1; k=${type}; p=${der}` };
  } catch {
    return undefined;
  }
}

export default async function SendingSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace } = await requireWorkspace(slug, "admin");
  const t = await getTranslations("messaging");
  const [view, senders, dnsRecord] = await Promise.all([
    messagingSettingsView(db, workspace.id),
    listSenders(db, workspace.id),
    dkimRecord(db, workspace.id),
  ]);
  const sections: Array<{ id: string; title: string; description: string; body: React.ReactNode }> = [
    {
      id: "smtp",
      title: t("smtp.title"),
      description: t("smtp.description"),
      body: (
        <SmtpForm
          workspaceId={workspace.id}
          slug={workspace.slug}
          view={{ smtpDisplay: view.smtpDisplay, smtpSource: view.smtpSource, environmentSmtpDisplay: view.environmentSmtpDisplay }}
          action={saveSmtpAction}
          testAction={sendSmtpTestAction}
        />
      ),
    },
    {
      id: "senders",
      title: t("senders.title"),
      description: t("senders.description"),
      body: (
        <SendersCard
          workspaceId={workspace.id}
          senders={senders.map(({ id, name, email, replyTo, isDefault }) => ({ id, name, email, replyTo, isDefault }))}
          saveAction={saveSenderAction}
          makeDefaultAction={makeDefaultSenderAction}
          deleteAction={deleteSenderAction}
        />
      ),
    },
    {
      id: "postal",
      title: t("postal.title"),
      description: t("postal.description"),
      body: <PostalAddressForm workspaceId={workspace.id} postalAddress={view.postalAddress} action={savePostalAddressAction} />,
    },
    {
      id: "dkim",
      title: t("dkim.title"),
      description: t("dkim.description"),
      body: (
        <DkimForm
          workspaceId={workspace.id}
          view={{ dkimDomain: view.dkimDomain, dkimSelector: view.dkimSelector, dkimKeySet: view.dkimKeySet }}
          dnsRecord={dnsRecord}
          action={saveDkimAction}
        />
      ),
    },
    {
      id: "delivery",
      title: t("delivery.title"),
      description: t("delivery.description"),
      body: (
        <DeliveryForm
          workspaceId={workspace.id}
          channels={[...cappedChannels]}
          frequencyCaps={view.frequencyCaps}
          quietHours={view.quietHours}
          action={saveDeliveryAction}
        />
      ),
    },
    {
      id: "tracking",
      title: t("tracking.title"),
      description: t("tracking.description"),
      body: (
        <TrackingForm
          workspaceId={workspace.id}
          view={{ trackOpens: view.trackOpens, trackClicks: view.trackClicks, utm: view.utm }}
          action={saveTrackingAction}
        />
      ),
    },
  ];
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="grid gap-6 p-6">
        {sections.map((section) => (
          <Card key={section.id} id={section.id} data-testid={`section-${section.id}`}>
            <CardHeader>
              <CardTitle>
                <h2>{section.title}</h2>
              </CardTitle>
              <CardDescription>{section.description}</CardDescription>
            </CardHeader>
            <CardContent>{section.body}</CardContent>
          </Card>
        ))}
      </div>
    </>
  );
}
