CREATE TABLE `alert_state` (
	`rule` text PRIMARY KEY NOT NULL,
	`pending_since` text,
	`memory` text,
	`checked_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`rule` text NOT NULL,
	`fired_at` text NOT NULL,
	`resolved_at` text,
	`value` real,
	`summary` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alerts_rule` ON `alerts` (`rule`,`resolved_at`);--> statement-breakpoint
CREATE INDEX `alerts_fired` ON `alerts` (`fired_at`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`action` text NOT NULL,
	`actor_id` text,
	`actor_role` text,
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`change` text,
	`correlation_id` text,
	`source_id` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_log_source_id_unique` ON `audit_log` (`source_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `audit_log_prev_hash_unique` ON `audit_log` (`prev_hash`);--> statement-breakpoint
CREATE INDEX `audit_log_action` ON `audit_log` (`action`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_log_actor` ON `audit_log` (`actor_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_log_target` ON `audit_log` (`target_id`,`seq`);--> statement-breakpoint
CREATE TABLE `metric_rollup` (
	`minute` text NOT NULL,
	`metric` text NOT NULL,
	`d1` text DEFAULT '' NOT NULL,
	`d2` text DEFAULT '' NOT NULL,
	`d3` text DEFAULT '' NOT NULL,
	`le` integer DEFAULT 0 NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`sum` integer DEFAULT 0 NOT NULL,
	`extra` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`metric`, `minute`, `d1`, `d2`, `d3`, `le`)
);
--> statement-breakpoint
ALTER TABLE `logs` ADD `request_id` text;--> statement-breakpoint
CREATE INDEX `logs_ts` ON `logs` (`ts`);--> statement-breakpoint
CREATE INDEX `logs_service` ON `logs` (`service`,`ts`);--> statement-breakpoint
CREATE INDEX `logs_level` ON `logs` (`level`,`ts`);--> statement-breakpoint
CREATE INDEX `logs_request` ON `logs` (`request_id`);--> statement-breakpoint
CREATE INDEX `dead_letters_received` ON `dead_letters` (`received_at`);--> statement-breakpoint
CREATE INDEX `events_received` ON `events` (`received_at`);--> statement-breakpoint
-- The audit trail is append-only: no statement may change or remove an entry (a tamper must drop these first,
-- and the hash chain then shows where it touched).
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log` BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log` BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;--> statement-breakpoint
-- Audit events written with the rows they record, in the same transaction: an audit.recorded envelope into the
-- outbox, relayed to logging by the outbox cron (shared/src/relay.ts), whoever's code wrote the row.
-- A role grant: who, to whom, from what to what.
CREATE TRIGGER `audit_role_changes` AFTER INSERT ON `role_changes` BEGIN
  INSERT INTO `event_outbox` (`id`, `type`, `body`) VALUES ('aud_' || NEW.id, 'audit.recorded', json_object(
    'id', 'aud_' || NEW.id, 'type', 'audit.recorded', 'occurredAt', NEW.at, 'correlationId', NEW.id, 'source', 'identity',
    'data', json_object('action', 'role.granted', 'actor', json_object('id', NEW.actor_id, 'role', NULL),
      'target', json_object('type', 'user', 'id', NEW.target_id), 'change', json_object('from', NEW.old_role, 'to', NEW.new_role))));
END;--> statement-breakpoint
-- A sign-in security event (role-changed is the grant above). The account, or for an address without one the
-- address's sha256 as identity keeps it; never the network, which the audit trail would keep past its 90 days.
CREATE TRIGGER `audit_security_events` AFTER INSERT ON `security_events` WHEN NEW.kind <> 'role-changed' BEGIN
  INSERT INTO `event_outbox` (`id`, `type`, `body`) VALUES ('aud_' || NEW.id, 'audit.recorded', json_object(
    'id', 'aud_' || NEW.id, 'type', 'audit.recorded', 'occurredAt', NEW.at, 'correlationId', NEW.id, 'source', 'identity',
    'data', json_object('action', 'security.' || NEW.kind, 'actor', json_object('id', NEW.user_id, 'role', NULL),
      'target', json_object('type', CASE WHEN NEW.user_id IS NULL THEN 'email-hash' ELSE 'user' END, 'id', coalesce(NEW.user_id, NEW.email_hash, 'unknown')),
      'change', CASE WHEN NEW.detail IS NULL THEN NULL ELSE json_object('detail', NEW.detail) END)));
END;--> statement-breakpoint
-- A template's new version (version 1: created), and its retirement.
CREATE TRIGGER `audit_template_versions` AFTER INSERT ON `template_versions` BEGIN
  INSERT INTO `event_outbox` (`id`, `type`, `body`) VALUES ('aud_tpl_' || NEW.template_id || '_' || NEW.version, 'audit.recorded', json_object(
    'id', 'aud_tpl_' || NEW.template_id || '_' || NEW.version, 'type', 'audit.recorded', 'occurredAt', NEW.created_at, 'correlationId', NEW.template_id, 'source', 'ai',
    'data', json_object('action', CASE WHEN NEW.version = 1 THEN 'template.created' ELSE 'template.updated' END,
      'actor', json_object('id', NEW.created_by, 'role', NULL), 'target', json_object('type', 'template', 'id', NEW.template_id),
      'change', json_object('version', NEW.version, 'title', NEW.title, 'category', NEW.category))));
END;--> statement-breakpoint
CREATE TRIGGER `audit_template_retired` AFTER UPDATE OF `status` ON `templates` WHEN NEW.status = 'retired' AND OLD.status <> 'retired' BEGIN
  INSERT INTO `event_outbox` (`id`, `type`, `body`) VALUES ('aud_tpr_' || NEW.id || '_' || NEW.version, 'audit.recorded', json_object(
    'id', 'aud_tpr_' || NEW.id || '_' || NEW.version, 'type', 'audit.recorded', 'occurredAt', NEW.updated_at, 'correlationId', NEW.id, 'source', 'ai',
    'data', json_object('action', 'template.retired', 'actor', json_object('id', NEW.updated_by, 'role', NULL),
      'target', json_object('type', 'template', 'id', NEW.id), 'change', json_object('version', NEW.version))));
END;--> statement-breakpoint
-- Log search by text: a trigram index of each line's message and fields, kept with the table (external content, so
-- the text is stored once). The retention cron's deletes remove a line's index entries through the delete trigger.
CREATE VIRTUAL TABLE `logs_search` USING fts5(`msg`, `fields`, content = 'logs', content_rowid = 'id', tokenize = 'trigram');--> statement-breakpoint
CREATE TRIGGER `logs_search_insert` AFTER INSERT ON `logs` BEGIN
  INSERT INTO `logs_search` (`rowid`, `msg`, `fields`) VALUES (NEW.id, NEW.msg, NEW.fields);
END;--> statement-breakpoint
CREATE TRIGGER `logs_search_delete` AFTER DELETE ON `logs` BEGIN
  INSERT INTO `logs_search` (`logs_search`, `rowid`, `msg`, `fields`) VALUES ('delete', OLD.id, OLD.msg, OLD.fields);
END;--> statement-breakpoint
CREATE TRIGGER `logs_search_update` AFTER UPDATE ON `logs` BEGIN
  INSERT INTO `logs_search` (`logs_search`, `rowid`, `msg`, `fields`) VALUES ('delete', OLD.id, OLD.msg, OLD.fields);
  INSERT INTO `logs_search` (`rowid`, `msg`, `fields`) VALUES (NEW.id, NEW.msg, NEW.fields);
END;--> statement-breakpoint
INSERT INTO `logs_search` (`logs_search`) VALUES ('rebuild');
