using System.Data.Common;
using JasperFx.Events;
using Marten;
using ValueLedger.Domain.Audit;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;

namespace ValueLedger.Api.Features.Audit;

/// <summary>
/// Seals every event in the transaction that writes it: a BEFORE INSERT trigger on Marten's mt_events computes the
/// event's hash over the previous event's hash and the row as it will be stored, and keeps both in the event's
/// headers. Marten creates and updates it with the rest of the schema (see docs/decisions/0004).
/// </summary>
public sealed class EventSealing(StoreOptions options) : FeatureSchemaBase("EventSealing", options.Advanced.Migrator)
{
    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        yield return new EventSealTrigger(options.Events.DatabaseSchemaName);
    }
}

/// <summary>The sealing functions, the trigger and a one-time seal of events written before the trigger existed.</summary>
public sealed class EventSealTrigger : ISchemaObject
{
    public const string HashHeader = "hash";
    public const string PreviousHashHeader = "previousHash";

    private readonly string _schema;
    private readonly string _install;
    private readonly string _fingerprint;

    public EventSealTrigger(string schema)
    {
        _schema = schema;
        _fingerprint = EventSeal.Sha256Hex(InstallSql(schema, ""))[..16];
        _install = InstallSql(schema, _fingerprint);
    }

    public DbObjectName Identifier => new PostgresqlObjectName(_schema, "vl_seal_event", SchemaUtils.IdentifierUsage.Function);

    public IEnumerable<DbObjectName> AllNames()
    {
        yield return Identifier;
        yield return new PostgresqlObjectName(_schema, "vl_event_seal_message", SchemaUtils.IdentifierUsage.Function);
        yield return new PostgresqlObjectName(_schema, "vl_event_seal_hash", SchemaUtils.IdentifierUsage.Function);
    }

    public void WriteCreateStatement(Migrator migrator, TextWriter writer) => writer.WriteLine(_install);

    public void WriteDropStatement(Migrator rules, TextWriter writer) =>
        writer.WriteLine($"DROP TRIGGER IF EXISTS vl_seal_event ON {_schema}.mt_events;");

    public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder) => builder.Append($"""
        select
          (select count(*) from pg_trigger t
            where t.tgname = 'vl_seal_event' and t.tgrelid = to_regclass('{_schema}.mt_events') and not t.tgisinternal),
          coalesce((select p.prosrc from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = '{_schema}' and p.proname = 'vl_seal_event'), '');
        """);

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct)
    {
        var triggers = 0L;
        var source = "";
        if (await reader.ReadAsync(ct))
        {
            triggers = await reader.GetFieldValueAsync<long>(0, ct);
            source = await reader.GetFieldValueAsync<string>(1, ct);
        }
        var difference = source.Length == 0 && triggers == 0 ? SchemaPatchDifference.Create
            : triggers == 0 || !source.Contains($"vl-seal:{_fingerprint}") ? SchemaPatchDifference.Update
            : SchemaPatchDifference.None;
        return new SchemaObjectDelta(this, difference);
    }

    /// <summary>
    /// The message and hash functions spell out <see cref="EventSeal"/> in SQL; an auditor can call them or copy
    /// their one-line bodies. The trigger skips Marten's tombstone events (placeholders for the sequence numbers of
    /// failed appends, kept in a stream of their own whose id changes with every process).
    /// </summary>
    private static string InstallSql(string s, string fingerprint) => $$"""
        CREATE OR REPLACE FUNCTION {{s}}.vl_event_seal_message(previous_hash text, stream_id uuid, version bigint,
            event_type text, event_time timestamptz, author text, data jsonb) RETURNS text LANGUAGE sql STABLE AS $$
          SELECT coalesce(previous_hash, '') || E'\n' || stream_id::text || E'\n' || version::text || E'\n' || event_type || E'\n'
            || to_char(event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || E'\n' || coalesce(author, '') || E'\n' || data::text
        $$;

        CREATE OR REPLACE FUNCTION {{s}}.vl_event_seal_hash(previous_hash text, stream_id uuid, version bigint,
            event_type text, event_time timestamptz, author text, data jsonb) RETURNS text LANGUAGE sql STABLE AS $$
          SELECT encode(sha256(convert_to({{s}}.vl_event_seal_message(previous_hash, stream_id, version, event_type, event_time, author, data), 'UTF8')), 'hex')
        $$;

        CREATE OR REPLACE FUNCTION {{s}}.vl_seal_event() RETURNS trigger LANGUAGE plpgsql AS $$
        -- vl-seal:{{fingerprint}} (ValueLedger event seal, docs/decisions/0004)
        DECLARE
          previous_hash text;
        BEGIN
          IF NEW.version > 1 THEN
            SELECT e.headers ->> '{{HashHeader}}' INTO previous_hash
              FROM {{s}}.mt_events e WHERE e.stream_id = NEW.stream_id AND e.version = NEW.version - 1;
          END IF;
          previous_hash := coalesce(previous_hash, '');
          NEW.headers := CASE WHEN jsonb_typeof(NEW.headers) = 'object' THEN NEW.headers ELSE '{}'::jsonb END
            || jsonb_build_object('{{PreviousHashHeader}}', previous_hash, '{{HashHeader}}',
                 {{s}}.vl_event_seal_hash(previous_hash, NEW.stream_id, NEW.version, NEW.type, NEW.timestamp, NEW.user_name, NEW.data));
          RETURN NEW;
        END
        $$;

        DROP TRIGGER IF EXISTS vl_seal_event ON {{s}}.mt_events;
        CREATE TRIGGER vl_seal_event BEFORE INSERT ON {{s}}.mt_events FOR EACH ROW
          WHEN (NEW.type <> '{{Tombstone.Name}}')
          EXECUTE FUNCTION {{s}}.vl_seal_event();

        DO $$
        DECLARE
          r record;
          previous_hash text;
        BEGIN
          FOR r IN SELECT seq_id, stream_id, version FROM {{s}}.mt_events
                   WHERE (headers ->> '{{HashHeader}}') IS NULL AND type <> '{{Tombstone.Name}}'
                   ORDER BY stream_id, version
          LOOP
            previous_hash := NULL;
            SELECT e.headers ->> '{{HashHeader}}' INTO previous_hash
              FROM {{s}}.mt_events e WHERE e.stream_id = r.stream_id AND e.version = r.version - 1;
            previous_hash := coalesce(previous_hash, '');
            UPDATE {{s}}.mt_events e
               SET headers = CASE WHEN jsonb_typeof(e.headers) = 'object' THEN e.headers ELSE '{}'::jsonb END
                 || jsonb_build_object('{{PreviousHashHeader}}', previous_hash, '{{HashHeader}}',
                      {{s}}.vl_event_seal_hash(previous_hash, e.stream_id, e.version, e.type, e.timestamp, e.user_name, e.data))
             WHERE e.seq_id = r.seq_id;
          END LOOP;
        END
        $$;
        """;
}
