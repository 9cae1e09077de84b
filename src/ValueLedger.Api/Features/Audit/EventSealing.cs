using System.Data.Common;
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

/// <summary>The sealing functions, the sealing trigger and the trigger that keeps sealed rows as they were written.</summary>
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
        yield return new PostgresqlObjectName(_schema, "vl_refuse_sealed_change", SchemaUtils.IdentifierUsage.Function);
    }

    public void WriteCreateStatement(Migrator migrator, TextWriter writer) => writer.WriteLine(_install);

    public void WriteDropStatement(Migrator rules, TextWriter writer) =>
        writer.WriteLine($"DROP TRIGGER IF EXISTS vl_seal_event ON {_schema}.mt_events; DROP TRIGGER IF EXISTS vl_refuse_sealed_change ON {_schema}.mt_events;");

    public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder) => builder.Append($"""
        select
          (select count(*) from pg_trigger t
            where t.tgname in ('vl_seal_event', 'vl_refuse_sealed_change') and t.tgrelid = to_regclass('{_schema}.mt_events') and not t.tgisinternal),
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
            : triggers < 2 || !source.Contains($"vl-seal:{_fingerprint}") ? SchemaPatchDifference.Update
            : SchemaPatchDifference.None;
        return new SchemaObjectDelta(this, difference);
    }

    /// <summary>
    /// The message and hash functions spell out <see cref="EventSeal"/> (scheme v2) in SQL; an auditor can call them or
    /// copy their one-line bodies. The sealing trigger skips Marten's tombstone events (placeholders for the sequence
    /// numbers of failed appends, kept in a stream of their own whose id changes with every process). A second trigger
    /// refuses to UPDATE or DELETE a sealed row, whoever asks: the seal is written once, by the insert. The install
    /// never touches existing rows: an event without a seal is reported broken by verification, not repaired.
    /// (TRUNCATE, which only the owner role may run, still empties the tables for test resets.)
    /// </summary>
    private static string InstallSql(string s, string fingerprint) => $$"""
        DROP FUNCTION IF EXISTS {{s}}.vl_event_seal_hash(text, uuid, bigint, text, timestamptz, text, jsonb);
        DROP FUNCTION IF EXISTS {{s}}.vl_event_seal_message(text, uuid, bigint, text, timestamptz, text, jsonb);

        CREATE OR REPLACE FUNCTION {{s}}.vl_event_seal_message(previous_hash text, stream_id uuid, version bigint,
            event_type text, event_time timestamptz, author text, data jsonb, event_id uuid, is_archived boolean,
            correlation_id text, causation_id text) RETURNS text LANGUAGE sql STABLE AS $$
          SELECT coalesce(previous_hash, '') || E'\n' || stream_id::text || E'\n' || version::text || E'\n' || event_type || E'\n'
            || to_char(event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || E'\n'
            || jsonb_build_object('eventId', event_id, 'archived', coalesce(is_archived, false), 'causationId', causation_id,
                 'correlationId', correlation_id)::text || E'\n'
            || coalesce(author, '') || E'\n' || data::text
        $$;

        CREATE OR REPLACE FUNCTION {{s}}.vl_event_seal_hash(previous_hash text, stream_id uuid, version bigint,
            event_type text, event_time timestamptz, author text, data jsonb, event_id uuid, is_archived boolean,
            correlation_id text, causation_id text) RETURNS text LANGUAGE sql STABLE AS $$
          SELECT encode(sha256(convert_to({{s}}.vl_event_seal_message(previous_hash, stream_id, version, event_type, event_time,
            author, data, event_id, is_archived, correlation_id, causation_id), 'UTF8')), 'hex')
        $$;

        CREATE OR REPLACE FUNCTION {{s}}.vl_seal_event() RETURNS trigger LANGUAGE plpgsql AS $$
        -- vl-seal:{{fingerprint}} (ValueLedger event seal, docs/decisions/0004 and 0008)
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
                 {{s}}.vl_event_seal_hash(previous_hash, NEW.stream_id, NEW.version, NEW.type, NEW.timestamp, NEW.user_name, NEW.data,
                   NEW.id, NEW.is_archived, NEW.correlation_id, NEW.causation_id));
          RETURN NEW;
        END
        $$;

        CREATE OR REPLACE FUNCTION {{s}}.vl_refuse_sealed_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'ValueLedger events are append-only: % of sealed event % (stream %, version %) refused',
            TG_OP, OLD.seq_id, OLD.stream_id, OLD.version USING ERRCODE = 'insufficient_privilege';
        END
        $$;

        DROP TRIGGER IF EXISTS vl_seal_event ON {{s}}.mt_events;
        CREATE TRIGGER vl_seal_event BEFORE INSERT ON {{s}}.mt_events FOR EACH ROW
          WHEN (NEW.type <> '{{Tombstone.Name}}')
          EXECUTE FUNCTION {{s}}.vl_seal_event();

        DROP TRIGGER IF EXISTS vl_refuse_sealed_change ON {{s}}.mt_events;
        CREATE TRIGGER vl_refuse_sealed_change BEFORE UPDATE OR DELETE ON {{s}}.mt_events FOR EACH ROW
          WHEN (OLD.headers ? '{{HashHeader}}')
          EXECUTE FUNCTION {{s}}.vl_refuse_sealed_change();
        """;
}
