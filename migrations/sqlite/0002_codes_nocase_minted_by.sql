-- Who minted each key: the id inside created_by ("reviewer:<id>", "admin:<id>"; "cli" has none).
ALTER TABLE `api_keys` ADD `minted_by` text REFERENCES api_keys(id);--> statement-breakpoint
UPDATE `api_keys` SET `minted_by` = substr(`created_by`, instr(`created_by`, ':') + 1)
WHERE instr(`created_by`, ':') > 0 AND substr(`created_by`, instr(`created_by`, ':') + 1) IN (SELECT `id` FROM `api_keys`);--> statement-breakpoint
CREATE INDEX `api_keys_minted_by` ON `api_keys` (`minted_by`);--> statement-breakpoint
-- Codes become unique whatever their case. A database that already holds two codes differing only
-- in case is refused with the codes named (the whole migration rolls back, nothing is changed):
-- which of the two is right is the operator's decision, not the migration's.
CREATE TEMP TABLE `_codes_nocase_check` (`what` text NOT NULL, `codes` text NOT NULL);--> statement-breakpoint
CREATE TEMP TRIGGER `_codes_nocase_refuse` BEFORE INSERT ON `_codes_nocase_check` BEGIN
  SELECT RAISE(ABORT, 'migration 0002: ' || NEW.`what` || ' differ only in case (mã trùng nhau khi không phân biệt chữ hoa/thường): ' || NEW.`codes`
    || '. Rename one of each pair (UPDATE ' || CASE NEW.`what` WHEN 'unit codes' THEN 'units SET code' ELSE 'schools SET moet_code' END
    || ' = ... WHERE id = ...) or merge them, then start again; nothing was changed.');
END;--> statement-breakpoint
INSERT INTO `_codes_nocase_check` SELECT 'unit codes', group_concat(`codes`, '; ') FROM (
  SELECT group_concat(`code` || ' (id ' || `id` || ')', ' / ') AS `codes` FROM `units` GROUP BY lower(`code`) HAVING count(*) > 1
) HAVING count(*) > 0;--> statement-breakpoint
INSERT INTO `_codes_nocase_check` SELECT 'school MOET codes', group_concat(`codes`, '; ') FROM (
  SELECT group_concat(`moet_code` || ' (id ' || `id` || ')', ' / ') AS `codes` FROM `schools` GROUP BY lower(`moet_code`) HAVING count(*) > 1
) HAVING count(*) > 0;--> statement-breakpoint
DROP TABLE `_codes_nocase_check`;--> statement-breakpoint
CREATE UNIQUE INDEX `schools_moet_code_nocase` ON `schools` (lower("moet_code"));--> statement-breakpoint
CREATE UNIQUE INDEX `units_code_nocase` ON `units` (lower("code"));
