CREATE TABLE `linkedin_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text,
	`user_id` text,
	`profile` text NOT NULL,
	`text` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`done_by` text,
	`done_at` text
);
--> statement-breakpoint
CREATE INDEX `linkedin_tasks_status` ON `linkedin_tasks` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `linkedin_tasks_request` ON `linkedin_tasks` (`request_id`);--> statement-breakpoint
CREATE TABLE `notification_ladders` (
	`event_id` text PRIMARY KEY NOT NULL,
	`correlation_id` text NOT NULL,
	`request_id` text,
	`user_id` text,
	`kind` text NOT NULL,
	`template` text NOT NULL,
	`locale` text NOT NULL,
	`rungs` text NOT NULL,
	`input` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notification_ladders_request` ON `notification_ladders` (`request_id`);--> statement-breakpoint
CREATE INDEX `notification_ladders_user` ON `notification_ladders` (`user_id`);--> statement-breakpoint
CREATE TABLE `notification_preferences` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text,
	`request_id` text,
	`channels` text,
	`opt_outs` text DEFAULT '[]' NOT NULL,
	`locale` text,
	`whatsapp` text,
	`linkedin` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notification_preferences_user` ON `notification_preferences` (`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `notification_preferences_request` ON `notification_preferences` (`request_id`);--> statement-breakpoint
CREATE TABLE `telegram_chats` (
	`id` text PRIMARY KEY NOT NULL,
	`chat_id` text NOT NULL,
	`user_id` text,
	`request_id` text,
	`username` text,
	`linked_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `telegram_chats_chat` ON `telegram_chats` (`chat_id`);--> statement-breakpoint
CREATE INDEX `telegram_chats_user` ON `telegram_chats` (`user_id`);--> statement-breakpoint
CREATE INDEX `telegram_chats_request` ON `telegram_chats` (`request_id`);--> statement-breakpoint
CREATE TABLE `telegram_link_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`user_id` text,
	`request_id` text,
	`expires_at` text NOT NULL,
	`used_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `telegram_link_codes_user` ON `telegram_link_codes` (`user_id`);--> statement-breakpoint
CREATE INDEX `telegram_link_codes_request` ON `telegram_link_codes` (`request_id`);--> statement-breakpoint
CREATE INDEX `telegram_link_codes_expiry` ON `telegram_link_codes` (`expires_at`);--> statement-breakpoint
CREATE TABLE `whatsapp_windows` (
	`phone` text PRIMARY KEY NOT NULL,
	`last_inbound_at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `notifications` ADD `event_id` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `user_id` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `kind` text DEFAULT 'account' NOT NULL;--> statement-breakpoint
ALTER TABLE `notifications` ADD `locale` text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE `notifications` ADD `step` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `notifications` ADD `fallback_from` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `claimed_until` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `updated_at` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `delivered_at` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `read_at` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `failed_at` text;--> statement-breakpoint
CREATE INDEX `notifications_provider_message` ON `notifications` (`channel`,`provider_message_id`);--> statement-breakpoint
CREATE INDEX `notifications_status` ON `notifications` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_channel` ON `notifications` (`channel`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_created` ON `notifications` (`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_user` ON `notifications` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_event` ON `notifications` (`event_id`);--> statement-breakpoint
-- Rows written before this migration: `pending` was the one state before `sent`; now it is `queued`. Their kind
-- follows from their template, and a sent row's last change was its send.
UPDATE `notifications` SET `status` = 'queued' WHERE `status` = 'pending';--> statement-breakpoint
UPDATE `notifications` SET `kind` = CASE `template` WHEN 'request-received' THEN 'received' WHEN 'request-ready' THEN 'ready' WHEN 'request-failed' THEN 'failed' ELSE 'account' END;--> statement-breakpoint
UPDATE `notifications` SET `updated_at` = coalesce(`sent_at`, `created_at`);
