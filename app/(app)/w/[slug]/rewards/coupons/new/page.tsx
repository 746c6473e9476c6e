import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireWorkspace } from "@/lib/auth/session";
import { PageHeader } from "@/components/shell/page-header";
import { CampaignForm } from "@/components/rewards/campaign-form";
import { RewardsTabs } from "@/components/rewards/rewards-tabs";
import { createCampaignAction, uploadCodesAction } from "../../actions";
import { maxGeneratedInForm } from "../../schemas";

export const metadata: Metadata = { title: "New coupon campaign" };

export default async function NewCampaignPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await requireWorkspace(slug, "marketer");
  const t = await getTranslations("rewards.campaignForm");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <RewardsTabs slug={workspace.slug} current="coupons" />
      <div className="p-6">
        <CampaignForm workspaceId={workspace.id} slug={workspace.slug} timezone={workspace.timezone} maxGenerated={maxGeneratedInForm} create={createCampaignAction} upload={uploadCodesAction} />
      </div>
    </>
  );
}
