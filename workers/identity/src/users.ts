/** Reading users, and the shape in which a user leaves this worker. */
import { type Database, schema } from "@statex/shared/db";
import { notFound } from "@statex/shared/errors";
import { eq } from "drizzle-orm";

type UserRow = typeof schema.users.$inferSelect;

/** A user as the API shows it: never the password hash. */
export function userView(row: UserRow) {
  return { id: row.id, email: row.email, name: row.name, role: row.role, createdAt: row.createdAt };
}

/** Emails are compared case-insensitively, so they are stored in one case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function userByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  return db.select().from(schema.users).where(eq(schema.users.email, normalizeEmail(email))).get();
}

/** The user with this id, or a 404 problem. */
export async function userById(db: Database, id: string): Promise<UserRow> {
  const row = await db.select().from(schema.users).where(eq(schema.users.id, id)).get();
  if (!row) throw notFound("User");
  return row;
}
