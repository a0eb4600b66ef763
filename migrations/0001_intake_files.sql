CREATE TABLE `request_files` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `request_files_request` ON `request_files` (`request_id`);--> statement-breakpoint
CREATE TABLE `spam_log` (
	`id` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`channel` text NOT NULL,
	`client_ip` text,
	`email` text,
	`excerpt` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `spam_log_created` ON `spam_log` (`created_at`);--> statement-breakpoint
CREATE TABLE `uploads` (
	`id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`r2_upload_id` text NOT NULL,
	`name` text NOT NULL,
	`size` integer NOT NULL,
	`status` text NOT NULL,
	`kind` text,
	`mime` text,
	`sha256` text,
	`parts` text NOT NULL,
	`owner_token_hash` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `uploads_status` ON `uploads` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `requests_user` ON `requests` (`user_id`,`created_at`);