import { Button, Heading, Hr, Img, Link, Section, Text } from "@react-email/components";
import { Layout } from "./components/layout";
import { styles } from "./components/theme";

export interface NewsletterSection {
  heading: string;
  body: string;
  imageUrl?: string;
  linkLabel?: string;
  linkUrl?: string;
}

export interface NewsletterProps {
  preheader?: string;
  title?: string;
  intro?: string;
  sections?: NewsletterSection[];
  ctaLabel?: string;
  ctaUrl?: string;
}

export default function Newsletter({
  preheader,
  title = "This month at {{ workspace.name }}",
  intro = 'Hi {{ contact.first_name | default: "there" }}, here is what is new.',
  sections = [],
  ctaLabel,
  ctaUrl,
}: NewsletterProps) {
  return (
    <Layout preheader={preheader}>
      <Heading as="h1" style={styles.heading}>
        {title}
      </Heading>
      <Text style={styles.paragraph}>{intro}</Text>
      {sections.map((section, index) => (
        <Section key={index} style={{ marginBottom: 8 }}>
          {index > 0 ? <Hr style={styles.hr} /> : null}
          {section.imageUrl ? <Img src={section.imageUrl} alt="" width="536" style={{ width: "100%", height: "auto", borderRadius: 6, marginBottom: 12 }} /> : null}
          <Heading as="h2" style={styles.subheading}>
            {section.heading}
          </Heading>
          <Text style={styles.paragraph}>{section.body}</Text>
          {section.linkUrl ? (
            <Text style={styles.paragraph}>
              <Link href={section.linkUrl} style={styles.link}>
                {section.linkLabel || section.linkUrl}
              </Link>
            </Text>
          ) : null}
        </Section>
      ))}
      {ctaUrl ? (
        <Section style={{ margin: "16px 0 8px" }}>
          <Button href={ctaUrl} style={styles.button}>
            {ctaLabel || ctaUrl}
          </Button>
        </Section>
      ) : null}
    </Layout>
  );
}

Newsletter.PreviewProps = {
  preheader: "Three things we shipped this month",
  title: "This month at {{ workspace.name }}",
  intro: 'Hi {{ contact.first_name | default: "there" }}, here is what is new.',
  sections: [
    { heading: "Journeys got faster", body: "Event-triggered journeys now send within a second.", linkLabel: "Read more", linkUrl: "https://example.com/journeys" },
    { heading: "Your plan: {{ contact.attributes.plan | default: \"free\" }}", body: "See what your plan includes.", linkLabel: "Compare plans", linkUrl: "https://example.com/plans" },
  ],
  ctaLabel: "Visit the blog",
  ctaUrl: "https://example.com/blog",
} satisfies NewsletterProps;
