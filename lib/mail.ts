// Owns outgoing mail: sent only when SMTP_URL is configured; failures are logged, never fatal.
import { env } from "./env";

export async function sendMail(to: string, subject: string, text: string): Promise<boolean> {
  const { SMTP_URL, SMTP_FROM } = env();
  if (!SMTP_URL) return false;
  try {
    const nodemailer = await import("nodemailer");
    await nodemailer.createTransport(SMTP_URL).sendMail({ from: SMTP_FROM ?? "Latchkey <no-reply@localhost>", to, subject, text });
    return true;
  } catch (e) {
    console.warn(`[mail] could not send "${subject}": ${(e as Error).message}`);
    return false;
  }
}
