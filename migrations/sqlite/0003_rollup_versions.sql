CREATE TABLE `change_counters` (
	`name` text PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `assessments_rollup_versions` ON `assessments` (`criteria_set_id`,`period_id`,`criteria_set_version`,`version`,`state`,`school_id`,`id`);--> statement-breakpoint
INSERT INTO `change_counters` (`name`, `n`) VALUES ('structure', 0);--> statement-breakpoint
-- Every write to the hierarchy bumps 'structure' (a rollup re-reads the hierarchy when it moved).
CREATE TRIGGER `units_changed_i` AFTER INSERT ON `units` BEGIN UPDATE `change_counters` SET `n` = `n` + 1 WHERE `name` = 'structure'; END;--> statement-breakpoint
CREATE TRIGGER `units_changed_u` AFTER UPDATE ON `units` BEGIN UPDATE `change_counters` SET `n` = `n` + 1 WHERE `name` = 'structure'; END;--> statement-breakpoint
CREATE TRIGGER `units_changed_d` AFTER DELETE ON `units` BEGIN UPDATE `change_counters` SET `n` = `n` + 1 WHERE `name` = 'structure'; END;--> statement-breakpoint
CREATE TRIGGER `schools_changed_i` AFTER INSERT ON `schools` BEGIN UPDATE `change_counters` SET `n` = `n` + 1 WHERE `name` = 'structure'; END;--> statement-breakpoint
CREATE TRIGGER `schools_changed_u` AFTER UPDATE ON `schools` BEGIN UPDATE `change_counters` SET `n` = `n` + 1 WHERE `name` = 'structure'; END;--> statement-breakpoint
CREATE TRIGGER `schools_changed_d` AFTER DELETE ON `schools` BEGIN UPDATE `change_counters` SET `n` = `n` + 1 WHERE `name` = 'structure'; END;--> statement-breakpoint
CREATE TRIGGER `school_units_changed_i` AFTER INSERT ON `school_units` BEGIN UPDATE `change_counters` SET `n` = `n` + 1 WHERE `name` = 'structure'; END;--> statement-breakpoint
CREATE TRIGGER `school_units_changed_u` AFTER UPDATE ON `school_units` BEGIN UPDATE `change_counters` SET `n` = `n` + 1 WHERE `name` = 'structure'; END;--> statement-breakpoint
CREATE TRIGGER `school_units_changed_d` AFTER DELETE ON `school_units` BEGIN UPDATE `change_counters` SET `n` = `n` + 1 WHERE `name` = 'structure'; END;
