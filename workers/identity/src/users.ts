/** Reading users, the shape in which a user leaves this worker, and what verifying an address gives the account. */
import { type Database, schema } from "@statex/shared/db";
import { notFound } from "@statex/shared/errors";
import { type SQL, and, eq, isNull, sql } from "drizzle-orm";

type UserRow = typeof schema.users.$inferSelect;

/** A user as the API shows it: never the password hash; `emailVerified` so a client can ask them to verify. */
export function userView(row: UserRow) {
  return { id: row.id, email: row.email, name: row.name, role: row.role, emailVerified: row.emailVerifiedAt !== null, createdAt: row.createdAt };
}

/** Emails are compared case-insensitively, so they are stored in one case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function userByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  return db.select().from(schema.users).where(eq(schema.users.email, normalizeEmail(email))).get();
}

/**
 * The account a person signs in to or resets the password of by this address: never a service account, which has
 * no password to check and no one at its address.
 */
export async function personByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  const row = await userByEmail(db, email);
  return row?.kind === "person" ? row : undefined;
}

/** The user with this id, or a 404 problem. */
export async function userById(db: Database, id: string): Promise<UserRow> {
  const row = await db.select().from(schema.users).where(eq(schema.users.id, id)).get();
  if (!row) throw notFound("User");
  return row;
}

/**
 * Gives the account the requests sent signed out with its address, once the address is verified (the statement, for
 * the batch that verifies it, applied only `when` that batch's token claim won). Before that, whoever registered an
 * address sees nothing sent with it. Identity writes this one column of intake's table because the verification is
 * decided here, in the same transaction; intake reads `user_id` as the request's owner everywhere.
 */
export function attachEarlierRequests(db: Database, user: Pick<UserRow, "id" | "email">, when: SQL) {
  const { requests } = schema;
  return db
    .update(requests)
    .set({ userId: user.id })
    .where(and(isNull(requests.userId), isNull(requests.erasedAt), sql`lower(${requests.email}) = ${user.email}`, when));
}
