-- Schema version 2: what the development pipeline and the year-end need.
-- Never edit after release: a change is a new migration step.
--   person.occupation_category     the 党内统计 occupation category (vocab.OCCUPATION_CATEGORIES)
--   development.*                  the 公示 before admission and before conversion, the filing after
--                                  approval, the reason for extending probation
--   development_decision           the 支委会 / 支部大会 meeting at which a step was decided
--   talk.*                         the two people of a 谈心谈话, its kind and gist
--   appraisal_round                one 民主评议党员 round a year: when and at which meeting
--   annual_text                    what only the clerk knows for a year (problems, plans …), kept per year

ALTER TABLE "person" ADD COLUMN "occupation_category" VARCHAR(255);

ALTER TABLE "development" ADD COLUMN "admission_notice_start_on" DATE;

ALTER TABLE "development" ADD COLUMN "admission_notice_end_on" DATE;

ALTER TABLE "development" ADD COLUMN "admission_filed_on" DATE;

ALTER TABLE "development" ADD COLUMN "extension_reason" TEXT NOT NULL DEFAULT '';

ALTER TABLE "development" ADD COLUMN "conversion_notice_start_on" DATE;

ALTER TABLE "development" ADD COLUMN "conversion_notice_end_on" DATE;

CREATE TABLE "development_decision" ("id" INTEGER NOT NULL PRIMARY KEY, "person_id" INTEGER NOT NULL, "step" VARCHAR(255) NOT NULL, "meeting_id" INTEGER NOT NULL, FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE CASCADE, FOREIGN KEY ("meeting_id") REFERENCES "meeting" ("id") ON DELETE CASCADE);

CREATE INDEX "development_decision_person_id" ON "development_decision" ("person_id");

CREATE INDEX "development_decision_meeting_id" ON "development_decision" ("meeting_id");

CREATE UNIQUE INDEX "development_decision_person_id_step" ON "development_decision" ("person_id", "step");

ALTER TABLE "talk" ADD COLUMN "kind" VARCHAR(255);

ALTER TABLE "talk" ADD COLUMN "first_person_id" INTEGER REFERENCES "person" ("id");

ALTER TABLE "talk" ADD COLUMN "second_person_id" INTEGER REFERENCES "person" ("id");

ALTER TABLE "talk" ADD COLUMN "gist" TEXT NOT NULL DEFAULT '';

CREATE INDEX "talk_first_person_id" ON "talk" ("first_person_id");

CREATE INDEX "talk_second_person_id" ON "talk" ("second_person_id");

CREATE INDEX "talk_held_on" ON "talk" ("held_on");

CREATE TABLE "appraisal_round" ("id" INTEGER NOT NULL PRIMARY KEY, "year" INTEGER NOT NULL, "held_on" DATE NOT NULL, "meeting_id" INTEGER, "note" TEXT NOT NULL, FOREIGN KEY ("meeting_id") REFERENCES "meeting" ("id") ON DELETE SET NULL);

CREATE UNIQUE INDEX "appraisal_round_year" ON "appraisal_round" ("year");

CREATE INDEX "appraisal_round_meeting_id" ON "appraisal_round" ("meeting_id");

CREATE TABLE "annual_text" ("id" INTEGER NOT NULL PRIMARY KEY, "year" INTEGER NOT NULL, "section" VARCHAR(255) NOT NULL, "text" TEXT NOT NULL);

CREATE UNIQUE INDEX "annual_text_year_section" ON "annual_text" ("year", "section");
