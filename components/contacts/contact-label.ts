/** What to call a contact in lists and headers: a name, else an address, else who they are not. */
export interface ContactNaming {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  externalId: string | null;
}

export type ContactLabel =
  | { kind: "name" | "email" | "external"; text: string }
  | { kind: "anonymous"; shortId: string };

const eastAsian = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+$/u;

// Chinese, Japanese and Korean names put the family name first, without a space.
export function fullName(contact: Pick<ContactNaming, "firstName" | "lastName">): string {
  const first = contact.firstName?.trim();
  const last = contact.lastName?.trim();
  if (first && last && eastAsian.test(first) && eastAsian.test(last)) return `${last}${first}`;
  return [first, last].filter(Boolean).join(" ");
}

export function contactLabel(contact: ContactNaming): ContactLabel {
  const name = fullName(contact);
  if (name) return { kind: "name", text: name };
  if (contact.email) return { kind: "email", text: contact.email };
  if (contact.externalId) return { kind: "external", text: contact.externalId };
  return { kind: "anonymous", shortId: contact.id.slice(0, 8) };
}

/** Up to two letters for the avatar; "?" for someone we only know by a device. */
export function initials(contact: ContactNaming): string {
  const name = fullName(contact);
  if (name) {
    const parts = name.split(/\s+/).filter(Boolean);
    const letters = parts.length > 1 ? parts[0][0] + parts.at(-1)![0] : [...parts[0]].slice(0, 2).join("");
    return letters.toUpperCase();
  }
  const source = contact.email ?? contact.externalId;
  return source ? source.slice(0, 2).toUpperCase() : "?";
}
