using System.Text.Json.Nodes;

namespace ValueLedger.Api.Tests.Audit;

/// <summary>
/// The attacks of issue 13, each mounted as a database superuser after a checkpoint was signed, each detected against
/// that checkpoint with the event named.
/// </summary>
public sealed class when_the_ledger_is_attacked_after_a_checkpoint(AppFixture app) : CheckpointContext(app)
{
    private const string Events = Schema + ".mt_events";
    private Guid _account;
    private Guid _bystander;
    private JsonNode _checkpoint = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_account, _, _) = await BuildAccountAsync();
        _bystander = await OpenAccountAsync(AnAccount("Bystander Ltd"));
        _checkpoint = await SignAsync();
    }

    private Task AttackAccountAsync(string sql) => AttackAsync(sql, ("stream", _account));

    private async Task<long> SequenceOfAsync(Guid stream, long version)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = new Npgsql.NpgsqlCommand($"select seq_id from {Events} where stream_id = @s and version = @v", connection);
        command.Parameters.AddWithValue("s", stream);
        command.Parameters.AddWithValue("v", version);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static void AssertTreeNames(JsonNode verification, string reason, Guid account, long version)
    {
        Assert.False((bool)verification["verified"]!);
        Assert.False((bool)verification["ledgerMatches"]!);
        var difference = verification["firstDifference"]!;
        Assert.Equal((reason, account, version), ((string)difference["reason"]!, (Guid)difference["accountId"]!, (long)difference["version"]!));
    }

    private static void AssertChainNames(JsonNode verification, Guid account, long version, string reason)
    {
        Assert.False((bool)verification["verified"]!);
        var broken = verification["brokenStreams"]!.AsArray().Single()!;
        Assert.Equal((account, version, reason), ((Guid)broken["accountId"]!, (long)broken["firstBrokenVersion"]!, (string)broken["reason"]!));
    }

    [Fact]
    public async Task an_untouched_ledger_verifies_against_it()
    {
        var verification = await VerifyAgainstAsync(_checkpoint);
        Assert.True((bool)verification["verified"]!, verification.ToJsonString());
        Assert.True((bool)verification["signatureValid"]!);
        Assert.True((bool)verification["recordedLeavesMatch"]!);
        Assert.Null(verification["firstDifference"]);
    }

    [Fact]
    public async Task changed_event_data_is_named()
    {
        await AttackAccountAsync($"update {Events} set data = jsonb_set(data, '{{value}}', '85') where stream_id = @stream and version = 4");
        AssertChainNames(await VerifyAgainstAsync(_checkpoint), _account, 4, "changed");
    }

    [Fact]
    public async Task changed_event_metadata_is_named()
    {
        await AttackAccountAsync($"update {Events} set correlation_id = 'someone-else', is_archived = true where stream_id = @stream and version = 2");
        AssertChainNames(await VerifyAgainstAsync(_checkpoint), _account, 2, "changed");
    }

    [Fact]
    public async Task an_event_deleted_in_the_middle_is_named()
    {
        await AttackAccountAsync($"delete from {Events} where stream_id = @stream and version = 3");
        var verification = await VerifyAgainstAsync(_checkpoint);
        AssertTreeNames(verification, "missing", _account, 3);
        AssertChainNames(verification, _account, 3, "missing");
    }

    [Fact]
    public async Task a_deleted_tail_with_the_stream_version_decremented_is_named_though_the_chain_holds()
    {
        await AttackAccountAsync($"""
            delete from {Events} where stream_id = @stream and version >= 5;
            update {Schema}.mt_streams set version = 4 where id = @stream
            """);
        var verification = await VerifyAgainstAsync(_checkpoint);
        Assert.Empty(verification["brokenStreams"]!.AsArray());
        AssertTreeNames(verification, "missing", _account, 5);
    }

    [Fact]
    public async Task an_inserted_event_is_named()
    {
        await AttackAccountAsync($"""
            update {Events} set version = version + 1000 where stream_id = @stream and version >= 3;
            update {Events} set version = version - 999 where stream_id = @stream and version >= 1003;
            insert into {Events} (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, user_name)
              select nextval('{Schema}.mt_events_sequence'), gen_random_uuid(), stream_id, 3, data, type, timestamp, tenant_id, mt_dotnet_type, 'mallory'
              from {Events} where stream_id = @stream and version = 4;
            update {Schema}.mt_streams set version = version + 1 where id = @stream
            """);
        var verification = await VerifyAgainstAsync(_checkpoint);
        AssertChainNames(verification, _account, 3, "inserted");
        // Renumbering keeps every old seal and the new event's sequence comes after the checkpoint: the tree still holds,
        // the chain names the slipped-in event.
        Assert.True((bool)verification["ledgerMatches"]!);
    }

    [Fact]
    public async Task swapped_events_are_named()
    {
        await AttackAccountAsync($"""
            update {Events} set version = -4 where stream_id = @stream and version = 4;
            update {Events} set version = 4 where stream_id = @stream and version = 3;
            update {Events} set version = 3 where stream_id = @stream and version = -4
            """);
        AssertChainNames(await VerifyAgainstAsync(_checkpoint), _account, 3, "reordered");
    }

    [Fact]
    public async Task a_rewritten_and_resealed_account_chain_is_named_though_the_chain_holds()
    {
        await AttackAsync($$"""
            update {{Events}} set data = jsonb_set(data, '{name}', '"Someone Else Ltd"') where stream_id = @stream;
            update {{Events}} set headers = jsonb_set(headers, '{hash}', to_jsonb({{Schema}}.vl_event_seal_hash('', stream_id, version, type,
              timestamp, user_name, data, id, is_archived, correlation_id, causation_id))) where stream_id = @stream
            """, ("stream", _bystander));
        var verification = await VerifyAgainstAsync(_checkpoint);
        Assert.Empty(verification["brokenStreams"]!.AsArray());
        AssertTreeNames(verification, "changed", _bystander, 1);
    }

    [Fact]
    public async Task an_edited_snapshot_is_named()
    {
        await ExecuteSqlAsync($$"""update {{Schema}}.mt_doc_account set data = jsonb_set(data, '{name}', '"Forged Foods"') where id = @stream""",
            ("stream", _account));
        var verification = await VerifyAgainstAsync(_checkpoint);
        Assert.False((bool)verification["verified"]!);
        Assert.True((bool)verification["ledgerMatches"]!);
        var difference = verification["snapshotDifferences"]!.AsArray().Single()!;
        Assert.Equal(_account, (Guid)difference["accountId"]!);
        Assert.Contains("name", (string)difference["detail"]!);
    }

    [Fact]
    public async Task a_fully_consistent_forgery_fails_the_old_checkpoint()
    {
        // Rewrite an event, reseal it, and rewrite the recorded leaf too: everything inside the database agrees again.
        await AttackAsync($$"""
            update {{Events}} set data = jsonb_set(data, '{name}', '"Someone Else Ltd"') where stream_id = @stream;
            update {{Events}} set headers = jsonb_set(headers, '{hash}', to_jsonb({{Schema}}.vl_event_seal_hash('', stream_id, version, type,
              timestamp, user_name, data, id, is_archived, correlation_id, causation_id))) where stream_id = @stream;
            update {{Schema}}.mt_doc_ledgerleaf l set data = jsonb_set(l.data, '{seal}', to_jsonb(e.headers ->> 'hash'))
              from {{Events}} e where e.seq_id = l.id and e.stream_id = @stream
            """, ("stream", _bystander));
        var verification = await VerifyAgainstAsync(_checkpoint);
        Assert.False((bool)verification["verified"]!);
        Assert.True((bool)verification["signatureValid"]!);
        Assert.False((bool)verification["ledgerMatches"]!);
        Assert.False((bool)verification["recordedLeavesMatch"]!);
        Assert.Equal("leavesRewritten", (string)verification["firstDifference"]!["reason"]!);

        // Nor can the forger re-sign: a checkpoint with the forged root under the old signature does not verify.
        var forged = _checkpoint.DeepClone();
        forged["rootHash"] = (string)verification["ledgerRootHash"]!;
        var refused = await VerifyAgainstAsync(forged);
        Assert.False((bool)refused["signatureValid"]!);
        Assert.False((bool)refused["verified"]!);
    }
}
