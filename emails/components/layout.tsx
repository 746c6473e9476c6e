import type { ReactNode } from "react";
import { Body, Container, Head, Html, Preview } from "@react-email/components";
import { Footer } from "./footer";
import { styles } from "./theme";

/** The frame every template shares: preheader, the white column, the footer. */
export function Layout({ preheader, transactional = false, lang = "en", children }: { preheader?: string | null; transactional?: boolean; lang?: string; children?: ReactNode }) {
  return (
    <Html lang={lang}>
      <Head>
        <meta name="x-apple-disable-message-reformatting" />
        <meta name="format-detection" content="telephone=no,address=no,email=no,date=no,url=no" />
      </Head>
      {preheader ? <Preview>{preheader}</Preview> : null}
      <Body style={styles.body}>
        <Container style={styles.container}>
          {children}
          <Footer transactional={transactional} />
        </Container>
      </Body>
    </Html>
  );
}
