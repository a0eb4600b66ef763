CREATE TABLE `role_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`actor_id` text NOT NULL,
	`target_id` text NOT NULL,
	`old_role` text NOT NULL,
	`new_role` text NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `role_changes_at` ON `role_changes` (`at`);--> statement-breakpoint
CREATE INDEX `role_changes_target` ON `role_changes` (`target_id`,`at`);--> statement-breakpoint
CREATE INDEX `security_events_kind` ON `security_events` (`kind`,`at`);