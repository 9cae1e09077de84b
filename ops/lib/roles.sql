-- ValueLedger's two database roles (docs/audit.md, "Append-only in PostgreSQL"). Run as a superuser or the database
-- owner AFTER the schema was applied by the owner role (`db-apply`), and again after every schema change.
-- psql variables: schema (default valueledger), app_role (the role the app connects as).
--
-- What the app needs, and nothing more:
--   mt_events    SELECT, INSERT           append (mt_quick_append_events inserts) and read; never UPDATE/DELETE
--   mt_streams   SELECT, INSERT, UPDATE   each append bumps the stream's version and timestamp (Marten does this
--                                          in mt_quick_append_events); no DELETE
--   sequences    USAGE, SELECT, UPDATE    nextval of mt_events_sequence, HiLo and Wolverine's ids
--   functions    EXECUTE                  mt_quick_append_events, the seal functions, Marten's upserts
--   every other table of the schema (documents, mt_event_progression of the daemon, Wolverine's envelopes, the
--   checkpoint documents): SELECT, INSERT, UPDATE, DELETE (projections rewrite snapshots, the daemon records progress).
-- No TRUNCATE, no DDL: the app role owns nothing and cannot drop or disable the triggers.
\set ON_ERROR_STOP on
GRANT USAGE ON SCHEMA :"schema" TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA :"schema" TO :"app_role";
REVOKE UPDATE, DELETE, TRUNCATE ON :"schema".mt_events FROM :"app_role";
REVOKE DELETE, TRUNCATE ON :"schema".mt_streams FROM :"app_role";
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA :"schema" TO :"app_role";
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA :"schema" TO :"app_role";
