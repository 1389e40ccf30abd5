/**
 * Fixture texts the real-editor suites assert on: app/actions.ts as committed and after each quick fix. Exact
 * strings, so a fix that changes its output (or the fixture drifting) shows up as a readable diff.
 */

/** test/e2e/fixture/app/actions.ts as committed. */
export const ACTIONS_BEFORE = `'use server';

import { revalidatePath } from 'next/cache';
import { requireUser } from '@/lib/auth';
import { db } from '@/lib/db';

export async function createNote(formData: FormData) {
  const user = await requireUser();
  const title = formData.get('title');
  const body = formData.get('body');
  await db.note.create({ data: { title: String(title), body: String(body), authorId: user.id } });
  revalidatePath('/notes');
}

export async function assignNote(formData: FormData) {
  const user = await requireUser();
  const noteId = formData.get('noteId');
  const ownerId = formData.get('ownerId');
  await db.note.update({ where: { id: String(noteId) }, data: { ownerId: String(ownerId) } });
  revalidatePath('/notes');
}
`;

/** After "Wrap FormData reads in a zod schema" on createNote: a schema from the fields read, safeParse, early exit. */
export const ACTIONS_AFTER_ZOD = `'use server';

import { revalidatePath } from 'next/cache';
import { requireUser } from '@/lib/auth';
import { db } from '@/lib/db';
import { z } from 'zod';

const createNoteSchema = z.object({
  title: z.string(),
  body: z.string(),
});

export async function createNote(formData: FormData) {
  const user = await requireUser();
  const parsed = createNoteSchema.safeParse({
    title: formData.get('title'),
    body: formData.get('body'),
  });
  if (!parsed.success) {
    throw new Error('Invalid form data');
  }
  const title = parsed.data.title;
  const body = parsed.data.body;
  await db.note.create({ data: { title: String(title), body: String(body), authorId: user.id } });
  revalidatePath('/notes');
}

export async function assignNote(formData: FormData) {
  const user = await requireUser();
  const noteId = formData.get('noteId');
  const ownerId = formData.get('ownerId');
  await db.note.update({ where: { id: String(noteId) }, data: { ownerId: String(ownerId) } });
  revalidatePath('/notes');
}
`;

/** Then "Replace client ownerId with the session" on assignNote: the ownerId read becomes the session user's id. */
export const ACTIONS_AFTER_SESSION = `'use server';

import { revalidatePath } from 'next/cache';
import { requireUser } from '@/lib/auth';
import { db } from '@/lib/db';
import { z } from 'zod';

const createNoteSchema = z.object({
  title: z.string(),
  body: z.string(),
});

export async function createNote(formData: FormData) {
  const user = await requireUser();
  const parsed = createNoteSchema.safeParse({
    title: formData.get('title'),
    body: formData.get('body'),
  });
  if (!parsed.success) {
    throw new Error('Invalid form data');
  }
  const title = parsed.data.title;
  const body = parsed.data.body;
  await db.note.create({ data: { title: String(title), body: String(body), authorId: user.id } });
  revalidatePath('/notes');
}

export async function assignNote(formData: FormData) {
  const user = await requireUser();
  const noteId = formData.get('noteId');
  const ownerId = user.id;
  await db.note.update({ where: { id: String(noteId) }, data: { ownerId: String(ownerId) } });
  revalidatePath('/notes');
}
`;
