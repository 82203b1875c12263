CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`role` text NOT NULL,
	`unit_id` integer,
	`school_id` integer,
	`label` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE TABLE `assessment_groups` (
	`assessment_id` text NOT NULL,
	`source` text NOT NULL,
	`group_code` text NOT NULL,
	`total` real NOT NULL,
	`level` integer,
	`complete` integer NOT NULL,
	PRIMARY KEY(`assessment_id`, `source`, `group_code`),
	FOREIGN KEY (`assessment_id`) REFERENCES `assessments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `assessments` (
	`id` text PRIMARY KEY NOT NULL,
	`school_id` integer NOT NULL,
	`period_id` text NOT NULL,
	`criteria_set_id` text NOT NULL,
	`criteria_set_version` text NOT NULL,
	`content_hash` text NOT NULL,
	`state` text NOT NULL,
	`version` integer NOT NULL,
	`facts` text NOT NULL,
	`description` text,
	`result` text NOT NULL,
	`complete` integer NOT NULL,
	`external_facts` text,
	`external_result` text,
	`external_by` text,
	`external_at` integer,
	`return_reason` text,
	`submitted_at` integer,
	`approved_at` integer,
	`published_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`period_id`) REFERENCES `periods`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assessments_school_period_set` ON `assessments` (`school_id`,`period_id`,`criteria_set_id`,`criteria_set_version`);--> statement-breakpoint
CREATE INDEX `assessments_period_state` ON `assessments` (`period_id`,`state`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE INDEX `audit_entity` ON `audit_log` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE TABLE `deadline_extensions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`period_id` text NOT NULL,
	`unit_id` integer,
	`school_id` integer,
	`until` integer NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`period_id`) REFERENCES `periods`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `extensions_period` ON `deadline_extensions` (`period_id`);--> statement-breakpoint
CREATE TABLE `documents` (
	`id` text PRIMARY KEY NOT NULL,
	`assessment_id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`url` text,
	`file_name` text,
	`media_type` text,
	`size` integer,
	`sha256` text,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`assessment_id`) REFERENCES `assessments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `documents_assessment` ON `documents` (`assessment_id`);--> statement-breakpoint
CREATE TABLE `periods` (
	`id` text PRIMARY KEY NOT NULL,
	`unit_id` integer NOT NULL,
	`school_year` integer NOT NULL,
	`title` text NOT NULL,
	`criteria_sets` text NOT NULL,
	`submission_deadline` integer NOT NULL,
	`review_deadline` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `periods_unit_year` ON `periods` (`unit_id`,`school_year`);--> statement-breakpoint
CREATE TABLE `school_units` (
	`school_id` integer NOT NULL,
	`from_year` integer NOT NULL,
	`to_year` integer,
	`unit_id` integer NOT NULL,
	PRIMARY KEY(`school_id`, `from_year`),
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `school_units_unit` ON `school_units` (`unit_id`);--> statement-breakpoint
CREATE TABLE `schools` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`moet_code` text NOT NULL,
	`name` text NOT NULL,
	`name_search` text NOT NULL,
	`levels` text NOT NULL,
	`ownership` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `schools_moet_code` ON `schools` (`moet_code`);--> statement-breakpoint
CREATE TABLE `units` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`parent_id` integer,
	`from_year` integer NOT NULL,
	`to_year` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `units_code` ON `units` (`code`);--> statement-breakpoint
CREATE INDEX `units_parent` ON `units` (`parent_id`);