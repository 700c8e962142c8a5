-- Schema version 1: the whole data model as first released.
-- Never edit after release: a change is a new migration step.

CREATE TABLE "party_group" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "sort_order" INTEGER NOT NULL, "note" TEXT NOT NULL, "leader_id" INTEGER, FOREIGN KEY ("leader_id") REFERENCES "person" ("id") ON DELETE SET NULL);

CREATE UNIQUE INDEX "party_group_name" ON "party_group" ("name");

CREATE INDEX "party_group_leader_id" ON "party_group" ("leader_id");

CREATE TABLE "import_batch" ("id" INTEGER NOT NULL PRIMARY KEY, "imported_at" VARCHAR(255) NOT NULL, "source" VARCHAR(255) NOT NULL, "created" INTEGER NOT NULL, "updated" INTEGER NOT NULL, "before" TEXT NOT NULL, "undone_at" VARCHAR(255));

CREATE TABLE "person" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "name_initials" VARCHAR(255) NOT NULL, "sex" VARCHAR(255), "ethnicity" VARCHAR(255) NOT NULL, "native_place" VARCHAR(255) NOT NULL, "birth_date" DATE, "id_number" VARCHAR(255), "work_started_on" DATE, "education" VARCHAR(255) NOT NULL, "school_major" VARCHAR(255) NOT NULL, "degree" VARCHAR(255) NOT NULL, "occupation" VARCHAR(255) NOT NULL, "post" VARCHAR(255) NOT NULL, "phone" VARCHAR(255) NOT NULL, "address" VARCHAR(255) NOT NULL, "stage" VARCHAR(255) NOT NULL, "membership_state" VARCHAR(255) NOT NULL, "state_changed_on" DATE, "state_reason" TEXT NOT NULL, "joined_on" DATE, "converted_on" DATE, "is_mobile" INTEGER NOT NULL, "mobile_note" TEXT NOT NULL, "group_id" INTEGER, "dues_category" VARCHAR(255) NOT NULL, "note" TEXT NOT NULL, "import_batch_id" INTEGER, FOREIGN KEY ("group_id") REFERENCES "party_group" ("id") ON DELETE SET NULL, FOREIGN KEY ("import_batch_id") REFERENCES "import_batch" ("id") ON DELETE SET NULL);

CREATE INDEX "person_name" ON "person" ("name");

CREATE UNIQUE INDEX "person_id_number" ON "person" ("id_number");

CREATE INDEX "person_stage" ON "person" ("stage");

CREATE INDEX "person_membership_state" ON "person" ("membership_state");

CREATE INDEX "person_group_id" ON "person" ("group_id");

CREATE INDEX "person_import_batch_id" ON "person" ("import_batch_id");

CREATE TABLE "activist_assessment" ("id" INTEGER NOT NULL PRIMARY KEY, "person_id" INTEGER NOT NULL, "assessed_on" DATE NOT NULL, "conclusion" TEXT NOT NULL, FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE CASCADE);

CREATE INDEX "activist_assessment_person_id" ON "activist_assessment" ("person_id");

CREATE TABLE "meeting" ("id" INTEGER NOT NULL PRIMARY KEY, "kind" VARCHAR(255) NOT NULL, "title" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, "held_on" DATE NOT NULL, "start_time" VARCHAR(255) NOT NULL, "end_time" VARCHAR(255) NOT NULL, "place" VARCHAR(255) NOT NULL, "group_id" INTEGER, "chair_id" INTEGER, "recorder_id" INTEGER, "lecturer" VARCHAR(255) NOT NULL, "content" TEXT NOT NULL, "note" TEXT NOT NULL, FOREIGN KEY ("group_id") REFERENCES "party_group" ("id"), FOREIGN KEY ("chair_id") REFERENCES "person" ("id"), FOREIGN KEY ("recorder_id") REFERENCES "person" ("id"));

CREATE INDEX "meeting_kind" ON "meeting" ("kind");

CREATE INDEX "meeting_held_on" ON "meeting" ("held_on");

CREATE INDEX "meeting_group_id" ON "meeting" ("group_id");

CREATE INDEX "meeting_chair_id" ON "meeting" ("chair_id");

CREATE INDEX "meeting_recorder_id" ON "meeting" ("recorder_id");

CREATE TABLE "appraisal" ("id" INTEGER NOT NULL PRIMARY KEY, "person_id" INTEGER NOT NULL, "year" INTEGER NOT NULL, "grade" VARCHAR(255) NOT NULL, "meeting_id" INTEGER, FOREIGN KEY ("person_id") REFERENCES "person" ("id"), FOREIGN KEY ("meeting_id") REFERENCES "meeting" ("id") ON DELETE SET NULL);

CREATE INDEX "appraisal_person_id" ON "appraisal" ("person_id");

CREATE INDEX "appraisal_meeting_id" ON "appraisal" ("meeting_id");

CREATE UNIQUE INDEX "appraisal_person_id_year" ON "appraisal" ("person_id", "year");

CREATE TABLE "attendance" ("id" INTEGER NOT NULL PRIMARY KEY, "meeting_id" INTEGER NOT NULL, "person_id" INTEGER NOT NULL, "status" VARCHAR(255) NOT NULL, "absence_reason" VARCHAR(255), "reason_note" VARCHAR(255) NOT NULL, FOREIGN KEY ("meeting_id") REFERENCES "meeting" ("id") ON DELETE CASCADE, FOREIGN KEY ("person_id") REFERENCES "person" ("id"));

CREATE INDEX "attendance_meeting_id" ON "attendance" ("meeting_id");

CREATE INDEX "attendance_person_id" ON "attendance" ("person_id");

CREATE UNIQUE INDEX "attendance_meeting_id_person_id" ON "attendance" ("meeting_id", "person_id");

CREATE TABLE "audit_entry" ("id" INTEGER NOT NULL PRIMARY KEY, "at" VARCHAR(255) NOT NULL, "action" VARCHAR(255) NOT NULL, "table_name" VARCHAR(255) NOT NULL, "row_id" INTEGER, "summary" TEXT NOT NULL, "before" TEXT, "after" TEXT);

CREATE INDEX "audit_entry_at" ON "audit_entry" ("at");

CREATE TABLE "branch" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "branch_type" VARCHAR(255) NOT NULL, "upper_committee" VARCHAR(255) NOT NULL, "founded_on" DATE, "address" VARCHAR(255) NOT NULL, "phone" VARCHAR(255) NOT NULL, "note" TEXT NOT NULL);

CREATE TABLE "committee_term" ("id" INTEGER NOT NULL PRIMARY KEY, "started_on" DATE NOT NULL, "length_years" INTEGER NOT NULL, "note" TEXT NOT NULL);

CREATE TABLE "committee_member" ("id" INTEGER NOT NULL PRIMARY KEY, "term_id" INTEGER NOT NULL, "person_id" INTEGER NOT NULL, "post" VARCHAR(255) NOT NULL, "started_on" DATE, "ended_on" DATE, "sort_order" INTEGER NOT NULL, FOREIGN KEY ("term_id") REFERENCES "committee_term" ("id") ON DELETE CASCADE, FOREIGN KEY ("person_id") REFERENCES "person" ("id"));

CREATE INDEX "committee_member_term_id" ON "committee_member" ("term_id");

CREATE INDEX "committee_member_person_id" ON "committee_member" ("person_id");

CREATE TABLE "development" ("id" INTEGER NOT NULL PRIMARY KEY, "person_id" INTEGER NOT NULL, "applied_on" DATE, "talked_on" DATE, "activist_on" DATE, "activist_filed_on" DATE, "contacts" VARCHAR(255) NOT NULL, "target_on" DATE, "target_filed_on" DATE, "notice_start_on" DATE, "notice_end_on" DATE, "introducers" VARCHAR(255) NOT NULL, "political_review_on" DATE, "political_review_conclusion" TEXT NOT NULL, "training_start_on" DATE, "training_end_on" DATE, "training_hours" INTEGER, "committee_review_on" DATE, "pre_review_on" DATE, "volunteer_form_on" DATE, "upper_talk_on" DATE, "approved_on" DATE, "oath_on" DATE, "extension_months" INTEGER, "extension_decided_on" DATE, "conversion_applied_on" DATE, "conversion_meeting_on" DATE, "conversion_approved_on" DATE, "archived_on" DATE, FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE CASCADE);

CREATE UNIQUE INDEX "development_person_id" ON "development" ("person_id");

CREATE TABLE "dues_base" ("id" INTEGER NOT NULL PRIMARY KEY, "person_id" INTEGER NOT NULL, "year" INTEGER NOT NULL, "base_fen" INTEGER NOT NULL, "category" VARCHAR(255) NOT NULL, "override_fen" INTEGER, "override_reason" TEXT NOT NULL, "entered_on" DATE, FOREIGN KEY ("person_id") REFERENCES "person" ("id"));

CREATE INDEX "dues_base_person_id" ON "dues_base" ("person_id");

CREATE UNIQUE INDEX "dues_base_person_id_year" ON "dues_base" ("person_id", "year");

CREATE TABLE "dues_payment" ("id" INTEGER NOT NULL PRIMARY KEY, "person_id" INTEGER NOT NULL, "year" INTEGER NOT NULL, "month" INTEGER NOT NULL, "amount_fen" INTEGER NOT NULL, "extra_fen" INTEGER NOT NULL, "paid_on" DATE NOT NULL, "method" VARCHAR(255) NOT NULL, "receipt_no" VARCHAR(255) NOT NULL, "note" TEXT NOT NULL, FOREIGN KEY ("person_id") REFERENCES "person" ("id"));

CREATE INDEX "dues_payment_person_id" ON "dues_payment" ("person_id");

CREATE UNIQUE INDEX "dues_payment_person_id_year_month" ON "dues_payment" ("person_id", "year", "month");

CREATE INDEX "dues_payment_year_month" ON "dues_payment" ("year", "month");

CREATE TABLE "dues_relief" ("id" INTEGER NOT NULL PRIMARY KEY, "person_id" INTEGER NOT NULL, "year" INTEGER NOT NULL, "start_month" INTEGER NOT NULL, "end_month" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL, "amount_fen" INTEGER NOT NULL, "branch_approved_on" DATE NOT NULL, "upper_approved_on" DATE NOT NULL, "note" TEXT NOT NULL, FOREIGN KEY ("person_id") REFERENCES "person" ("id"));

CREATE INDEX "dues_relief_person_id" ON "dues_relief" ("person_id");

CREATE TABLE "exclusion" ("id" INTEGER NOT NULL PRIMARY KEY, "person_id" INTEGER NOT NULL, "category" VARCHAR(255) NOT NULL, "reason" TEXT NOT NULL, "approved_on" DATE NOT NULL, "start_on" DATE NOT NULL, "end_on" DATE, FOREIGN KEY ("person_id") REFERENCES "person" ("id"));

CREATE INDEX "exclusion_person_id" ON "exclusion" ("person_id");

CREATE TABLE "history_event" ("id" INTEGER NOT NULL PRIMARY KEY, "person_id" INTEGER NOT NULL, "occurred_on" DATE NOT NULL, "kind" VARCHAR(255) NOT NULL, "description" TEXT NOT NULL, FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE CASCADE);

CREATE INDEX "history_event_person_id" ON "history_event" ("person_id");

CREATE TABLE "make_up_study" ("id" INTEGER NOT NULL PRIMARY KEY, "meeting_id" INTEGER NOT NULL, "person_id" INTEGER NOT NULL, "done_on" DATE, "note" TEXT NOT NULL, FOREIGN KEY ("meeting_id") REFERENCES "meeting" ("id") ON DELETE CASCADE, FOREIGN KEY ("person_id") REFERENCES "person" ("id"));

CREATE INDEX "make_up_study_meeting_id" ON "make_up_study" ("meeting_id");

CREATE INDEX "make_up_study_person_id" ON "make_up_study" ("person_id");

CREATE TABLE "meeting_topic" ("id" INTEGER NOT NULL PRIMARY KEY, "meeting_id" INTEGER NOT NULL, "seq" INTEGER NOT NULL, "title" TEXT NOT NULL, FOREIGN KEY ("meeting_id") REFERENCES "meeting" ("id") ON DELETE CASCADE);

CREATE INDEX "meeting_topic_meeting_id" ON "meeting_topic" ("meeting_id");

CREATE TABLE "observer" ("id" INTEGER NOT NULL PRIMARY KEY, "meeting_id" INTEGER NOT NULL, "name" VARCHAR(255) NOT NULL, "affiliation" VARCHAR(255) NOT NULL, FOREIGN KEY ("meeting_id") REFERENCES "meeting" ("id") ON DELETE CASCADE);

CREATE INDEX "observer_meeting_id" ON "observer" ("meeting_id");

CREATE TABLE "resolution" ("id" INTEGER NOT NULL PRIMARY KEY, "meeting_id" INTEGER NOT NULL, "seq" INTEGER NOT NULL, "text" TEXT NOT NULL, FOREIGN KEY ("meeting_id") REFERENCES "meeting" ("id") ON DELETE CASCADE);

CREATE INDEX "resolution_meeting_id" ON "resolution" ("meeting_id");

CREATE TABLE "setting" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL);

CREATE TABLE "speech" ("id" INTEGER NOT NULL PRIMARY KEY, "meeting_id" INTEGER NOT NULL, "topic_id" INTEGER, "seq" INTEGER NOT NULL, "speaker_id" INTEGER, "speaker_name" VARCHAR(255) NOT NULL, "points" TEXT NOT NULL, FOREIGN KEY ("meeting_id") REFERENCES "meeting" ("id") ON DELETE CASCADE, FOREIGN KEY ("topic_id") REFERENCES "meeting_topic" ("id") ON DELETE SET NULL, FOREIGN KEY ("speaker_id") REFERENCES "person" ("id"));

CREATE INDEX "speech_meeting_id" ON "speech" ("meeting_id");

CREATE INDEX "speech_topic_id" ON "speech" ("topic_id");

CREATE INDEX "speech_speaker_id" ON "speech" ("speaker_id");

CREATE TABLE "talk" ("id" INTEGER NOT NULL PRIMARY KEY, "held_on" DATE NOT NULL, "participants" TEXT NOT NULL, "topic" TEXT NOT NULL, "note" TEXT NOT NULL);

CREATE TABLE "transfer" ("id" INTEGER NOT NULL PRIMARY KEY, "person_id" INTEGER NOT NULL, "direction" VARCHAR(255) NOT NULL, "scope" VARCHAR(255) NOT NULL, "from_org" VARCHAR(255) NOT NULL, "to_org" VARCHAR(255) NOT NULL, "transferred_on" DATE NOT NULL, "letter_number" VARCHAR(255) NOT NULL, "valid_days" INTEGER NOT NULL, "dues_paid_until" DATE, "receipt_returned_on" DATE, "note" TEXT NOT NULL, FOREIGN KEY ("person_id") REFERENCES "person" ("id"));

CREATE INDEX "transfer_person_id" ON "transfer" ("person_id");

CREATE TABLE "vote" ("id" INTEGER NOT NULL PRIMARY KEY, "meeting_id" INTEGER NOT NULL, "topic_id" INTEGER, "seq" INTEGER NOT NULL, "motion" TEXT NOT NULL, "kind" VARCHAR(255) NOT NULL, "yes" INTEGER NOT NULL, "no" INTEGER NOT NULL, "abstain" INTEGER NOT NULL, FOREIGN KEY ("meeting_id") REFERENCES "meeting" ("id") ON DELETE CASCADE, FOREIGN KEY ("topic_id") REFERENCES "meeting_topic" ("id") ON DELETE SET NULL);

CREATE INDEX "vote_meeting_id" ON "vote" ("meeting_id");

CREATE INDEX "vote_topic_id" ON "vote" ("topic_id");
