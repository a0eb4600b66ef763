CREATE TABLE `used_live_tickets` (
	`hash` text PRIMARY KEY NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `used_live_tickets_expiry` ON `used_live_tickets` (`expires_at`);