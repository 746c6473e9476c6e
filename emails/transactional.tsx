import { Button, Column, Heading, Row, Section, Text } from "@react-email/components";
import { Layout } from "./components/layout";
import { styles, theme } from "./components/theme";

export interface TransactionalProps {
  preheader?: string;
  heading?: string;
  body?: string;
  details?: Array<{ label: string; value: string }>;
  ctaLabel?: string;
  ctaUrl?: string;
}

// Receipts, password resets, confirmations: mail the contact asked for, so no unsubscribe link.
export default function Transactional({
  preheader,
  heading = "Your order {{ data.order_id }}",
  body = 'Hi {{ contact.first_name | default: "there" }}, thanks for your order.',
  details = [],
  ctaLabel,
  ctaUrl,
}: TransactionalProps) {
  return (
    <Layout preheader={preheader} transactional>
      <Heading as="h1" style={styles.heading}>
        {heading}
      </Heading>
      <Text style={styles.paragraph}>{body}</Text>
      {details.length > 0 ? (
        <Section style={{ border: `1px solid ${theme.colors.border}`, borderRadius: 6, padding: "8px 16px", marginBottom: 16 }}>
          {details.map((detail, index) => (
            <Row key={index}>
              <Column style={{ ...styles.muted, width: "40%", padding: "4px 0" }}>{detail.label}</Column>
              <Column style={{ ...styles.paragraph, margin: 0, padding: "4px 0" }}>{detail.value}</Column>
            </Row>
          ))}
        </Section>
      ) : null}
      {ctaUrl ? (
        <Section style={{ margin: "8px 0 16px" }}>
          <Button href={ctaUrl} style={styles.button}>
            {ctaLabel || ctaUrl}
          </Button>
        </Section>
      ) : null}
    </Layout>
  );
}

Transactional.PreviewProps = {
  preheader: "Receipt for order {{ data.order_id }}",
  heading: "Your order {{ data.order_id }}",
  body: 'Hi {{ contact.first_name | default: "there" }}, thanks for your order. It ships within two days.',
  details: [
    { label: "Order", value: "{{ data.order_id }}" },
    { label: "Total", value: "{{ data.total }}" },
  ],
  ctaLabel: "Track your parcel",
  ctaUrl: "https://example.com/orders/{{ data.order_id }}",
} satisfies TransactionalProps;
