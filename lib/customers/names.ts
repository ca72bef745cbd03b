// Owns how a customer is named where one is chosen (the key form, the keys table's filter): no
// database here, so the browser's components use it too.

export function customerLabel(c: { name: string; externalId: string }): string {
  return `${c.name} (${c.externalId})`;
}
