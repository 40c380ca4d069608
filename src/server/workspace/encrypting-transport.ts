/**
 * Mail to a reporter who gave an OpenPGP key is encrypted to that key (openpgp.js, the maintained
 * OpenPGP implementation for JavaScript): the body goes out as an ASCII-armoured PGP message
 * (PGP/INLINE, which every OpenPGP mail client reads). The drain's mails name their case in
 * `X-Cpansec-Case`; a mail to the address of that case's reporter is encrypted when the report
 * carries an OpenPGP key. A key that cannot be read or used is a send failure (retried, then left
 * `failed` for an administrator), never a fall-back to plain text.
 */
import type { DisclosureStore, MailMessage, MailTransport } from '../../disclosure/index.js';

export function encryptingTransport(inner: MailTransport, store: DisclosureStore): MailTransport {
  return {
    async send(mail: MailMessage): Promise<void> {
      const caseId = mail.headers['X-Cpansec-Case'];
      const c = caseId ? await store.transaction((tx) => tx.cases.get(caseId)) : undefined;
      const key = c?.report.encryptionKey;
      if (!c || !key || key.kind !== 'openpgp' || c.report.reporter.email.toLowerCase() !== mail.to.toLowerCase()) return inner.send(mail);
      // loaded when first needed: most servers never encrypt a mail
      const openpgp = await import('openpgp');
      let encryptionKeys;
      try {
        encryptionKeys = await openpgp.readKey({ armoredKey: key.text });
      } catch (e) {
        throw new Error(`the reporter's OpenPGP key of case ${c.reference} cannot be read: ${(e as Error).message}`, { cause: e });
      }
      const text = await openpgp.encrypt({ message: await openpgp.createMessage({ text: mail.text }), encryptionKeys, format: 'armored' });
      return inner.send({ ...mail, text: String(text), headers: { ...mail.headers, 'X-Cpansec-Encrypted': 'openpgp' } });
    },
  };
}
