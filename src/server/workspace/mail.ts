/**
 * The outbox's SMTP transport: nodemailer with a smtp:// or smtps:// URL. The domain's
 * `MailMessage` is what nodemailer's `sendMail` takes; a mail counts as sent once the server
 * accepted it. Loaded only when mail is configured (the CLI is one bundle: nodemailer stays out
 * of every other command).
 */
import type { MailTransport } from '../../disclosure/index.js';
import { CpansecError } from '../../errors.js';

export async function smtpTransport(url: string): Promise<MailTransport & { close(): void }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CpansecError('USAGE', 'the SMTP URL is not a URL (smtp://user:password@host:port)', { file: 'smtp-url' });
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') throw new CpansecError('USAGE', 'the SMTP URL must be smtp:// or smtps://', { file: 'smtp-url' });
  const { default: nodemailer } = await import('nodemailer');
  // the URL carries everything (host, port, credentials, ?options); nodemailer's own timeouts apply
  const transporter = nodemailer.createTransport(url);
  return {
    async send(mail) {
      await transporter.sendMail(mail);
    },
    close() {
      transporter.close();
    },
  };
}
