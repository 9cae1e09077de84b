using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Audit;

/// <summary>
/// Someone with write access to PostgreSQL alters event rows behind the application's back. Verification must name
/// the exact event each time, and a digest taken before must no longer verify.
/// </summary>
public sealed class when_event_rows_are_altered_in_postgresql(AppFixture app) : AuditContext(app)
{
    private const string Events = Schema + ".mt_events";

    private Guid _account;
    private Guid _bystander;
    private JsonNode _digest = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_account, _, _) = await BuildAccountAsync();
        _bystander = await OpenAccountAsync(AnAccount("Bystander Ltd"));
        _digest = await GetAsAuditorAsync("/api/audit/digest");
    }

    private Task<int> TamperAsync(string sql) => AttackAsync(sql, ("stream", _account));

    private async Task<long> SequenceAtAsync(long version)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = new Npgsql.NpgsqlCommand($"select seq_id from {Events} where stream_id = @stream and version = @version", connection);
        command.Parameters.AddWithValue("stream", _account);
        command.Parameters.AddWithValue("version", version);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<JsonNode> VerifyAccountAsync() => await GetAsAuditorAsync($"/api/audit/verification?accountId={_account}");

    private async Task<JsonNode> VerifyDigestAsync(JsonNode digest)
    {
        var response = await Auditor.PostAsJsonAsync("/api/audit/digest/verification", digest);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadAsync(response);
    }

    private async Task AssertNamedAsync(long version, string reason, long? sequence = null)
    {
        var verification = await VerifyAccountAsync();
        Assert.False((bool)verification["verified"]!);
        Assert.Equal((version, reason), ((long)verification["firstBrokenVersion"]!, (string)verification["reason"]!));
        var broken = verification["brokenStreams"]!.AsArray().Single()!;
        Assert.Equal(_account, (Guid)broken["accountId"]!);
        if (sequence is not null) Assert.Equal(sequence, (long)broken["sequence"]!);

        var digest = await VerifyDigestAsync(_digest);
        Assert.False((bool)digest["verified"]!);
        Assert.True((bool)digest["digestIntact"]!);
        var problem = digest["problems"]!.AsArray().Single()!;
        Assert.Equal((_account, version, reason), ((Guid)problem["accountId"]!, (long)problem["version"]!, (string)problem["reason"]!));
    }

    [Fact]
    public async Task an_untouched_ledger_verifies_and_its_digest_too_after_later_appends()
    {
        var verification = await VerifyAccountAsync();
        Assert.True((bool)verification["verified"]!);
        Assert.Equal(6, (long)verification["eventsChecked"]!);
        Assert.Null(verification["firstBrokenVersion"]);

        Assert.Equal(2, (int)_digest["streams"]!);
        Assert.Equal(7, (long)_digest["events"]!);
        Assert.Matches("^[0-9a-f]{64}$", (string)_digest["rootHash"]!);

        Assert.True((bool)(await VerifyDigestAsync(_digest))["verified"]!);
        await PostAsync($"/api/accounts/{_account}/prioritisation", new { abilityToPay = "low", willingnessToPay = "low", note = "Budget cut" });
        await OpenAccountAsync(AnAccount("Newcomer GmbH"));
        var later = await VerifyDigestAsync(_digest);
        Assert.True((bool)later["verified"]!);
        Assert.Equal(7, (long)later["eventsChecked"]!);
        Assert.NotEqual((string)_digest["rootHash"]!, (string)(await GetAsAuditorAsync("/api/audit/digest"))["rootHash"]!);
    }

    [Fact]
    public async Task changed_data_is_named_changed()
    {
        await TamperAsync($"update {Events} set data = jsonb_set(data, '{{value}}', '85') where stream_id = @stream and version = 4");
        await AssertNamedAsync(4, "changed", await SequenceAtAsync(4));
    }

    [Theory]
    [InlineData("user_name = 'mallory'", 3)]
    [InlineData("timestamp = timestamp - interval '1 day'", 2)]
    [InlineData("type = 'measurement_corrected'", 3)]
    [InlineData("is_archived = true", 4)]
    [InlineData("correlation_id = 'another-request'", 2)]
    [InlineData("headers = headers - 'hash'", 3)]
    [InlineData("headers = jsonb_set(headers, '{hash}', to_jsonb(repeat('0', 64)))", 5)]
    public async Task any_changed_column_is_named_changed(string assignment, long version)
    {
        await TamperAsync($"update {Events} set {assignment} where stream_id = @stream and version = {version}");
        await AssertNamedAsync(version, "changed", await SequenceAtAsync(version));
    }

    [Fact]
    public async Task a_deleted_event_is_named_missing()
    {
        await TamperAsync($"delete from {Events} where stream_id = @stream and version = 3");
        await AssertNamedAsync(3, "missing");
    }

    [Fact]
    public async Task a_deleted_event_with_its_successors_renumbered_is_named_missing()
    {
        await TamperAsync($"""
            delete from {Events} where stream_id = @stream and version = 3;
            update {Events} set version = version - 1 where stream_id = @stream and version > 3;
            update {Schema}.mt_streams set version = version - 1 where id = @stream;
            """);
        await AssertNamedAsync(3, "missing");
    }

    [Fact]
    public async Task a_deleted_last_event_is_named_missing()
    {
        await TamperAsync($"delete from {Events} where stream_id = @stream and version = 6");
        await AssertNamedAsync(6, "missing");
    }

    [Fact]
    public async Task swapped_events_are_named_reordered()
    {
        await TamperAsync($"""
            update {Events} set version = -4 where stream_id = @stream and version = 4;
            update {Events} set version = 4 where stream_id = @stream and version = 3;
            update {Events} set version = 3 where stream_id = @stream and version = -4;
            """);
        await AssertNamedAsync(3, "reordered", await SequenceAtAsync(3));
    }

    [Fact]
    public async Task an_event_slipped_into_the_middle_is_named_inserted_even_though_the_trigger_sealed_it()
    {
        await TamperAsync($$"""
            update {{Events}} set version = version + 1000 where stream_id = @stream and version >= 3;
            update {{Events}} set version = version - 999 where stream_id = @stream and version >= 1003;
            insert into {{Events}} (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, user_name, correlation_id)
              select nextval('{{Schema}}.mt_events_sequence'), gen_random_uuid(), stream_id, 3, jsonb_set(data, '{value}', '70'), type,
                     timestamp, tenant_id, mt_dotnet_type, 'mallory', correlation_id
              from {{Events}} where stream_id = @stream and version = 4;
            update {{Schema}}.mt_streams set version = version + 1 where id = @stream;
            """);
        await AssertNamedAsync(3, "inserted", await SequenceAtAsync(3));
    }

    [Fact]
    public async Task an_event_appended_behind_the_applications_back_is_named_inserted()
    {
        await TamperAsync($"""
            insert into {Events} (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, user_name)
              select nextval('{Schema}.mt_events_sequence'), gen_random_uuid(), stream_id, 7, data, type, timestamp, tenant_id, mt_dotnet_type, 'mallory'
              from {Events} where stream_id = @stream and version = 6;
            """);
        var verification = await VerifyAccountAsync();
        Assert.Equal((7L, "inserted"), ((long)verification["firstBrokenVersion"]!, (string)verification["reason"]!));
    }

    [Fact]
    public async Task verifying_every_account_names_only_the_broken_one()
    {
        await TamperAsync($"update {Events} set data = jsonb_set(data, '{{value}}', '85') where stream_id = @stream and version = 4");

        var all = await GetAsAuditorAsync("/api/audit/verification");
        Assert.False((bool)all["verified"]!);
        Assert.Equal(2, (int)all["streamsChecked"]!);
        Assert.Equal(7, (long)all["eventsChecked"]!);
        var broken = all["brokenStreams"]!.AsArray().Single()!;
        Assert.Equal((_account, 4L, "changed"), ((Guid)broken["accountId"]!, (long)broken["firstBrokenVersion"]!, (string)broken["reason"]!));
        // The chain holds again (only the snapshot, still showing the old name, gives it away; see the checkpoint tests).
        Assert.Empty((await GetAsAuditorAsync($"/api/audit/verification?accountId={_bystander}"))["brokenStreams"]!.AsArray());
    }

    [Fact]
    public async Task a_whole_chain_sealed_again_still_fails_the_digest()
    {
        // Rewrite the bystander's only event and recompute its seal with the ledger's own functions: the chain holds again.
        await AttackAsync($$"""
            update {{Events}} set data = jsonb_set(data, '{name}', '"Someone Else Ltd"') where stream_id = @stream;
            update {{Events}} set headers = jsonb_set(headers, '{hash}', to_jsonb({{Schema}}.vl_event_seal_hash('', stream_id, version, type, timestamp, user_name, data,
              id, is_archived, correlation_id, causation_id)))
              where stream_id = @stream;
            """, ("stream", _bystander));
        // The chain holds again (only the snapshot, still showing the old name, gives it away; see the checkpoint tests).
        Assert.Empty((await GetAsAuditorAsync($"/api/audit/verification?accountId={_bystander}"))["brokenStreams"]!.AsArray());

        var digest = await VerifyDigestAsync(_digest);
        Assert.False((bool)digest["verified"]!);
        var problem = digest["problems"]!.AsArray().Single()!;
        Assert.Equal((_bystander, 1L, "changed"), ((Guid)problem["accountId"]!, (long)problem["version"]!, (string)problem["reason"]!));
    }

    [Fact]
    public async Task a_deleted_account_fails_the_digest()
    {
        await AttackAsync($"delete from {Schema}.mt_streams where id = @stream", ("stream", _bystander));
        var digest = await VerifyDigestAsync(_digest);
        Assert.False((bool)digest["verified"]!);
        var problem = digest["problems"]!.AsArray().Single()!;
        Assert.Equal((_bystander, 1L, "missing"), ((Guid)problem["accountId"]!, (long)problem["version"]!, (string)problem["reason"]!));
    }

    [Fact]
    public async Task a_digest_edited_after_it_was_issued_does_not_verify()
    {
        var edited = _digest.DeepClone();
        edited["heads"]!.AsArray().RemoveAt(0);
        var answer = await VerifyDigestAsync(edited);
        Assert.False((bool)answer["verified"]!);
        Assert.False((bool)answer["digestIntact"]!);
        Assert.Empty(answer["problems"]!.AsArray());
    }

    [Fact]
    public async Task a_malformed_digest_is_400_and_audit_routes_are_for_auditors_only()
    {
        var malformed = await Auditor.PostAsJsonAsync("/api/audit/digest/verification", new { rootHash = "xyz", heads = new[] { new { version = 0 } } });
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var errors = (await ReadAsync(malformed))["errors"]!.AsObject().Select(e => e.Key.ToLowerInvariant()).ToList();
        Assert.Contains("roothash", errors);
        Assert.Contains("streams", errors);
        var empty = await Auditor.PostAsJsonAsync("/api/audit/digest/verification", new { });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("heads", (await ReadAsync(empty))["errors"]!.AsObject().Select(e => e.Key.ToLowerInvariant()));
        var twice = _digest.DeepClone();
        twice["heads"]!.AsArray().Add(twice["heads"]![0]!.DeepClone());
        Assert.Equal(HttpStatusCode.BadRequest, (await Auditor.PostAsJsonAsync("/api/audit/digest/verification", twice)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await Auditor.GetAsync($"/api/audit/verification?accountId={Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Auditor.GetAsync("/api/audit/verification?accountId=not-an-id")).StatusCode);
        foreach (var role in new[] { Roles.Csm, Roles.Executive })
        {
            var client = App.ClientFor(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/audit/verification")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/audit/digest")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/audit/digest/verification", _digest)).StatusCode);
        }
        var customer = App.ClientFor(Roles.Customer, "jane@buyer.example", _account);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync($"/api/audit/verification?accountId={_account}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.ClientFor(Roles.Admin).GetAsync("/api/audit/digest")).StatusCode);
    }
}
