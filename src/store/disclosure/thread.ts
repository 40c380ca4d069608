/** The case thread (messages and the files of reports and messages) and the author-contact log. */
import type { Attachment, AttachmentRepository, ContactEntry, ContactRepository, Message, MessageRepository } from '../../disclosure/index.js';
import { conflict, fromJson, nextPosition, toJson, type Db } from './common.js';

export function messageRepository(db: Db): MessageRepository {
  return {
    async insert(m) {
      if (await db.selectFrom('disclosure_messages').select('id').where('id', '=', m.id).executeTakeFirst()) throw conflict(`message ${m.id} exists`);
      const position = await nextPosition(db, 'disclosure_messages');
      await db.insertInto('disclosure_messages').values({ id: m.id, case_id: m.caseId, at: m.at, position, record: toJson(m) }).execute();
    },
    async listByCase(caseId) {
      const rows = await db.selectFrom('disclosure_messages').select('record').where('case_id', '=', caseId).orderBy('at').orderBy('position').execute();
      return rows.map((r) => fromJson<Message>(r.record));
    },
  };
}

export function attachmentRepository(db: Db): AttachmentRepository {
  return {
    async insert(a, content) {
      if (await db.selectFrom('disclosure_attachments').select('id').where('id', '=', a.id).executeTakeFirst()) throw conflict(`attachment ${a.id} exists`);
      const position = await nextPosition(db, 'disclosure_attachments');
      await db.insertInto('disclosure_attachments').values({ id: a.id, case_id: a.caseId, message_id: a.messageId, position, record: toJson(a), content: Buffer.from(content.buffer, content.byteOffset, content.byteLength) }).execute();
    },
    async get(id) {
      const row = await db.selectFrom('disclosure_attachments').select('record').where('id', '=', id).executeTakeFirst();
      return row ? fromJson<Attachment>(row.record) : undefined;
    },
    async content(id) {
      const row = await db.selectFrom('disclosure_attachments').select('content').where('id', '=', id).executeTakeFirst();
      return row ? new Uint8Array(row.content) : undefined;
    },
    async listByCase(caseId) {
      const rows = await db.selectFrom('disclosure_attachments').select('record').where('case_id', '=', caseId).orderBy('position').execute();
      return rows.map((r) => fromJson<Attachment>(r.record));
    },
  };
}

export function contactRepository(db: Db): ContactRepository {
  return {
    async insert(e) {
      if (await db.selectFrom('disclosure_contacts').select('id').where('id', '=', e.id).executeTakeFirst()) throw conflict(`contact ${e.id} exists`);
      const position = await nextPosition(db, 'disclosure_contacts');
      await db.insertInto('disclosure_contacts').values({ id: e.id, case_id: e.caseId, at: e.at, position, record: toJson(e) }).execute();
    },
    async update(e) {
      await db.updateTable('disclosure_contacts').set({ case_id: e.caseId, at: e.at, record: toJson(e) }).where('id', '=', e.id).execute();
    },
    async get(id) {
      const row = await db.selectFrom('disclosure_contacts').select('record').where('id', '=', id).executeTakeFirst();
      return row ? fromJson<ContactEntry>(row.record) : undefined;
    },
    async listByCase(caseId) {
      const rows = await db.selectFrom('disclosure_contacts').select('record').where('case_id', '=', caseId).orderBy('at').orderBy('position').execute();
      return rows.map((r) => fromJson<ContactEntry>(r.record));
    },
  };
}
