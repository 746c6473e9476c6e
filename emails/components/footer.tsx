import { Hr, Link, Section, Text } from "@react-email/components";
import { styles } from "./theme";

// The placeholders stay Liquid: the layout is rendered once per template version and the
// pipeline fills the recipient's own unsubscribe link, the sender's address and the footer's
// words in the recipient's language per message.
export function Footer({ transactional = false }: { transactional?: boolean }) {
  return (
    <Section>
      <Hr style={styles.hr} />
      <Text style={styles.muted}>{"{{ workspace.name }}"}</Text>
      <Text style={styles.muted}>{"{{ workspace.postal_address }}"}</Text>
      {transactional ? null : (
        <Text style={styles.muted}>
          <Link href="{{ links.unsubscribe }}" style={styles.link}>
            {"{{ labels.unsubscribe }}"}
          </Link>
          {" · "}
          <Link href="{{ links.preferences }}" style={styles.link}>
            {"{{ labels.preferences }}"}
          </Link>
        </Text>
      )}
    </Section>
  );
}
