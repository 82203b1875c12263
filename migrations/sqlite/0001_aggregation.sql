CREATE TABLE `assessment_criteria` (
	`assessment_id` text NOT NULL,
	`source` text NOT NULL,
	`code` text NOT NULL,
	`group_code` text NOT NULL,
	`kind` text NOT NULL,
	`max_points` real,
	`points` real,
	`met` integer,
	`value` real,
	`gap` real,
	`status` text NOT NULL,
	PRIMARY KEY(`assessment_id`, `source`, `code`),
	FOREIGN KEY (`assessment_id`) REFERENCES `assessments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assessment_criteria_targets` ON `assessment_criteria` (`assessment_id`,`source`) WHERE kind = 'target';--> statement-breakpoint
CREATE TABLE `criteria_sets` (
	`id` text NOT NULL,
	`version` text NOT NULL,
	`status` text NOT NULL,
	`unit_id` integer NOT NULL,
	`definition` text NOT NULL,
	`content_hash` text NOT NULL,
	`source_csv` text,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	`published_at` integer,
	PRIMARY KEY(`id`, `version`),
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Backfill: per-criterion rows of the results stored before this migration, read from the stored
-- result JSON (criteria and their nested children), never re-scored.
INSERT INTO `assessment_criteria` (`assessment_id`, `source`, `code`, `group_code`, `kind`, `max_points`, `points`, `met`, `value`, `gap`, `status`)
SELECT a.`id`, s.`source`, json_extract(t.value, '$.code'), json_extract(g.value, '$.code'), json_extract(t.value, '$.kind'),
  json_extract(t.value, '$.maxPoints'), json_extract(t.value, '$.points'), json_extract(t.value, '$.met'),
  CASE WHEN json_type(t.value, '$.value') IN ('integer', 'real') THEN json_extract(t.value, '$.value') END,
  json_extract(t.value, '$.gap'), json_extract(t.value, '$.status')
FROM `assessments` a
JOIN (SELECT 'self' AS `source` UNION ALL SELECT 'external') s
JOIN json_each(CASE s.`source` WHEN 'self' THEN a.`result` ELSE a.`external_result` END, '$.groups') g
JOIN json_tree(g.value, '$.criteria') t
WHERE t.type = 'object' AND (t.path = '$.criteria' OR (t.path LIKE '$.criteria[%].children' AND t.path NOT LIKE '%.explanation%'))
  AND json_extract(t.value, '$.code') IS NOT NULL;
