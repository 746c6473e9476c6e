import { Button, Heading, Section, Text } from "@react-email/components";
import { Layout } from "./components/layout";
import { styles } from "./components/theme";

export interface WelcomeProps {
  preheader?: string;
  heading?: string;
  body?: string;
  ctaLabel?: string;
  ctaUrl?: string;
  signOff?: string;
}

export default function Welcome({
  preheader,
  heading = 'Welcome, {{ contact.first_name | default: "there" }}!',
  body = "Thanks for signing up to {{ workspace.name }}. Here is how to get started.",
  ctaLabel = "Get started",
  ctaUrl = "https://example.com/start",
  signOff = "The {{ workspace.name }} team",
}: WelcomeProps) {
  return (
    <Layout preheader={preheader}>
      <Heading as="h1" style={styles.heading}>
        {heading}
      </Heading>
      <Text style={styles.paragraph}>{body}</Text>
      {ctaUrl ? (
        <Section style={{ margin: "8px 0 24px" }}>
          <Button href={ctaUrl} style={styles.button}>
            {ctaLabel}
          </Button>
        </Section>
      ) : null}
      <Text style={styles.paragraph}>{signOff}</Text>
    </Layout>
  );
}

Welcome.PreviewProps = {
  preheader: "Your account is ready",
  heading: 'Welcome, {{ contact.first_name | default: "there" }}!',
  body: "Thanks for signing up to {{ workspace.name }}. Your {{ contact.attributes.plan | default: \"free\" }} plan is ready.",
  ctaLabel: "Open your dashboard",
  ctaUrl: "https://example.com/dashboard",
} satisfies WelcomeProps;
