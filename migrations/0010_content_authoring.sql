CREATE TABLE `media` (
	`sha256` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`ext` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`size` integer NOT NULL,
	`uploaded_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `page_publications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`version` integer NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`summary` text,
	`tags` text NOT NULL,
	`locale` text NOT NULL,
	`author` text,
	`date` text NOT NULL,
	`hero` text,
	`html` text NOT NULL,
	`text` text NOT NULL,
	`live_at` text NOT NULL,
	`published_at` text NOT NULL,
	`published_by` text,
	`announced_at` text,
	FOREIGN KEY (`slug`) REFERENCES `pages`(`slug`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `page_publications_slug` ON `page_publications` (`slug`,`live_at`);--> statement-breakpoint
CREATE INDEX `page_publications_date` ON `page_publications` (`date`);--> statement-breakpoint
CREATE INDEX `page_publications_unannounced` ON `page_publications` (`announced_at`,`live_at`);--> statement-breakpoint
CREATE TABLE `page_versions` (
	`slug` text NOT NULL,
	`version` integer NOT NULL,
	`body` text NOT NULL,
	`title` text NOT NULL,
	`restored_from` integer,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`slug`, `version`),
	FOREIGN KEY (`slug`) REFERENCES `pages`(`slug`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Written by hand from here to the DROPs: the pages of the old model (one draft, one published body) become versions
-- and a publication. A published page's source is version 1 and a different draft version 2. Its publication is not
-- rendered here (SQL cannot): `html` stays empty and `announced_at` null, so the content cron renders it with the
-- renderer of this release, indexes it for search and announces it, and until then store.ts renders it when read.
INSERT INTO `page_versions` (`slug`, `version`, `body`, `title`, `created_by`, `created_at`)
  SELECT `slug`, 1, coalesce(`published_body`, `draft_body`), coalesce(`published_title`, `title`), `updated_by`, coalesce(`published_at`, `updated_at`) FROM `pages`;--> statement-breakpoint
INSERT INTO `page_versions` (`slug`, `version`, `body`, `title`, `created_by`, `created_at`)
  SELECT `slug`, 2, `draft_body`, `title`, `updated_by`, `updated_at` FROM `pages` WHERE `published_body` IS NOT NULL AND `published_body` <> `draft_body`;--> statement-breakpoint
UPDATE `pages` SET `version` = (SELECT max(`version`) FROM `page_versions` WHERE `page_versions`.`slug` = `pages`.`slug`);--> statement-breakpoint
INSERT INTO `page_publications` (`slug`, `version`, `kind`, `title`, `summary`, `tags`, `locale`, `date`, `html`, `text`, `live_at`, `published_at`, `published_by`)
  SELECT `slug`, 1, 'page', coalesce(`published_title`, `title`), `published_description`, '[]', 'en', `published_at`, '', '', `published_at`, `published_at`, `updated_by`
  FROM `pages` WHERE `status` = 'published' AND `published_body` IS NOT NULL AND `published_at` IS NOT NULL;--> statement-breakpoint
-- Search over published pages (written by hand: drizzle-kit has no virtual tables). English stemming (porter) over
-- unicode61, accents folded; the slug is carried, not searched. store.ts keeps it in step with page_publications.
CREATE VIRTUAL TABLE `page_search` USING fts5(`slug` UNINDEXED, `title`, `summary`, `tags`, `body`, tokenize = 'porter unicode61 remove_diacritics 2');--> statement-breakpoint
ALTER TABLE `pages` DROP COLUMN `description`;--> statement-breakpoint
ALTER TABLE `pages` DROP COLUMN `draft_body`;--> statement-breakpoint
ALTER TABLE `pages` DROP COLUMN `published_body`;--> statement-breakpoint
ALTER TABLE `pages` DROP COLUMN `published_title`;--> statement-breakpoint
ALTER TABLE `pages` DROP COLUMN `published_description`;--> statement-breakpoint
ALTER TABLE `pages` DROP COLUMN `status`;--> statement-breakpoint
ALTER TABLE `pages` DROP COLUMN `published_at`;