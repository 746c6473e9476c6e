import { Hr, Link, Section, Text } from "@react-email/components";
import { styles } from "./theme";

// The placeholders stay Liquid: the layout is rendered once per template version and the
// pipeline fills the recipient's own unsubscribe link and the sender's address per message.
export function Footer({ transactional = false }: { transactional?: boolean }) {
  return (
    <Section>
      <Hr style={styles.hr} />
      <Text style={styles.muted}>{"{{ workspace.name }}"}</Text>
      <Text style={styles.muted}>{"{{ workspace.postal_address }}"}</Text>
      {transactional ? null : (
        <Text style={styles.muted}>
          <Link href="{{ links.unsubscribe }}" style={styles.link}>
            Unsubscribe
          </Link>
          {" · "}
          <Link href="{{ links.preferences }}" style={styles.link}>
            Email preferences
          </Link>
        </Text>
      )}
    </Section>
  );
}
